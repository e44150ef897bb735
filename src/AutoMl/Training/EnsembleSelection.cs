namespace Serverless.AutoMl.Training;

/// <summary>A trial's out-of-fold predictions, as a candidate ensemble member.</summary>
internal sealed record Candidate(TrialResult Trial, double[] Predictions);

/// <summary>
/// Greedy ensemble selection with replacement (Caruana et al., 2004): repeatedly add the candidate that most
/// improves the averaged out-of-fold predictions; weights are how often each was picked.
/// </summary>
internal static class EnsembleSelection
{
    private const int Rounds = 25;

    public static (IReadOnlyList<(Candidate Member, double Weight)> Members, IReadOnlyDictionary<string, double> Metrics) Select(
        DatasetProfile profile, double[] labels, int width, IReadOnlyList<Candidate> candidates)
    {
        var sum = new double[candidates[0].Predictions.Length];
        var picks = new int[candidates.Count];
        var best = (Gain: double.NegativeInfinity, Picks: picks.ToArray(), Metrics: (IReadOnlyDictionary<string, double>)new Dictionary<string, double>());
        for (var round = 1; round <= Rounds; round++)
        {
            var step = candidates.Select((c, i) => (i, metrics: Evaluate(profile, labels, width, sum, c.Predictions, round)))
                .OrderByDescending(x => MetricCatalog.Rank(profile.Metric, x.metrics)).ThenBy(x => x.i)
                .First();
            picks[step.i]++;
            for (var j = 0; j < sum.Length; j++) sum[j] += candidates[step.i].Predictions[j];
            var gain = MetricCatalog.Rank(profile.Metric, step.metrics);
            if (gain > best.Gain) best = (gain, picks.ToArray(), step.metrics);
        }
        var total = (double)best.Picks.Sum();
        var members = candidates.Select((c, i) => (c, best.Picks[i] / total)).Where(x => x.Item2 > 0).ToList();
        return (members, best.Metrics);
    }

    /// <summary>
    /// Whether ensembling generalizes better than picking the best single candidate, judged without scoring either on
    /// the rows it was chosen on: each procedure is run on one half of the rows (alternate rows of the stratified
    /// order) and applied to the other, both ways, and the two cross-fitted predictions are scored over all rows. On
    /// small data the in-sample gain of a greedy ensemble can be fitted noise: an ensemble that then scores below the
    /// single model is dropped (a tie keeps it: averaging models rarely hurts unseen rows).
    /// </summary>
    public static bool Generalizes(DatasetProfile profile, double[] labels, int width, IReadOnlyList<Candidate> candidates)
    {
        var rows = labels.Length;
        var ensemble = new double[rows * width];
        var single = new double[rows * width];
        int[][] halves = [[.. Enumerable.Range(0, rows).Where(r => r % 2 == 0)], [.. Enumerable.Range(0, rows).Where(r => r % 2 == 1)]];
        for (var half = 0; half < 2; half++)
        {
            var (fit, apply) = (halves[half], halves[1 - half]);
            var fitLabels = fit.Select(r => labels[r]).ToArray();
            var fitCandidates = candidates.Select(c => c with { Predictions = RowsOf(c.Predictions, fit, width) }).ToList();
            var (members, _) = Select(profile, fitLabels, width, fitCandidates);
            var weights = members.Select(m => (Index: fitCandidates.IndexOf(m.Member), m.Weight)).ToList();
            var bestSingle = Enumerable.Range(0, candidates.Count)
                .MaxBy(i => MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, fitLabels, fitCandidates[i].Predictions)));
            foreach (var row in apply)
            {
                for (var k = row * width; k < (row + 1) * width; k++)
                {
                    ensemble[k] = weights.Sum(w => w.Weight * candidates[w.Index].Predictions[k]);
                    single[k] = candidates[bestSingle].Predictions[k];
                }
            }
        }
        return MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, labels, ensemble))
               >= MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, labels, single));
    }

    private static double[] RowsOf(double[] predictions, int[] rows, int width) =>
        [.. rows.SelectMany(r => predictions.AsSpan(r * width, width).ToArray())];

    private static IReadOnlyDictionary<string, double> Evaluate(DatasetProfile profile, double[] labels, int width,
        double[] sum, double[] added, int count)
    {
        var average = new double[sum.Length];
        for (var j = 0; j < sum.Length; j++) average[j] = (sum[j] + added[j]) / count;
        return MetricCatalog.Compute(profile.Task, width, labels, average);
    }
}
