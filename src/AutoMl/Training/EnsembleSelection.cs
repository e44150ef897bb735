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

    private static IReadOnlyDictionary<string, double> Evaluate(DatasetProfile profile, double[] labels, int width,
        double[] sum, double[] added, int count)
    {
        var average = new double[sum.Length];
        for (var j = 0; j < sum.Length; j++) average[j] = (sum[j] + added[j]) / count;
        return MetricCatalog.Compute(profile.Task, width, labels, average);
    }
}
