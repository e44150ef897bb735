using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>How Finish builds its model from the trials.</summary>
internal enum Selection
{
    /// <summary>A greedy ensemble of the best trials.</summary>
    Ensemble,
    /// <summary>The proven default configuration that scored best: the search's gains did not carry to unseen rows.</summary>
    BestDefault,
    /// <summary>The trial that scored best.</summary>
    BestTrial,
}

/// <summary>
/// Chooses how the final model is built by how well each way does on rows it was not chosen on. Picking the best of
/// hundreds of trials on a few hundred rows picks luck as much as skill (a 134-row set: CV 4.2, test 5.2), and so can
/// a greedy ensemble fitted to the same out-of-fold predictions. So each way (ensemble, best trial, best proven
/// default) makes its choice on one half of the rows (alternate rows of the stratified order) and predicts the other
/// half with it, both ways round; the cross-fitted predictions are scored over all rows and the best way wins. On a tie
/// the ensemble, then the default, is preferred: averaging rarely hurts, and a default carries no search's luck. The
/// searched ways' pool was itself chosen by the search on all rows, so their cross-fitted score is still optimistic:
/// a searched way wins over the default only by more than one standard error of its edge (the one-standard-error rule,
/// toward the configuration no search selected).
/// </summary>
internal static class CrossFittedChoice
{
    /// <summary>Bootstrap resamples that measure the noise in a cross-fitted edge.</summary>
    private const int Resamples = 200;
    /// <summary>Rows a resample draws at most (its error is scaled to all rows).</summary>
    private const int MaxResampledRows = 5000;

    public static (Selection Choice, IReadOnlyDictionary<Selection, double> Scores) Choose(DatasetProfile profile, double[] labels,
        IReadOnlyList<Candidate> pool, int ensembleSize)
    {
        var width = profile.PredictionWidth();
        var rows = labels.Length;
        var defaults = Enumerable.Range(0, pool.Count).Where(i => LearnerCatalog.IsDefault(profile, pool[i].Trial)).ToList();
        List<Selection> ways = defaults.Count > 0 ? [Selection.Ensemble, Selection.BestDefault, Selection.BestTrial] : [Selection.Ensemble, Selection.BestTrial];
        var predictions = ways.ToDictionary(w => w, _ => new double[rows * width]);
        int[][] halves = [[.. Enumerable.Range(0, rows).Where(r => r % 2 == 0)], [.. Enumerable.Range(0, rows).Where(r => r % 2 == 1)]];
        for (var half = 0; half < 2; half++)
        {
            var (fit, apply) = (halves[half], halves[1 - half]);
            var fitLabels = fit.Select(r => labels[r]).ToArray();
            var fitPool = pool.Select(c => c with { Predictions = RowsOf(c.Predictions, fit, width) }).ToList();
            var scores = fitPool.Select(c => MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, fitLabels, c.Predictions))).ToArray();
            var order = Enumerable.Range(0, pool.Count).OrderByDescending(i => scores[i]).ToList();
            var top = order.Take(ensembleSize).ToList();
            var (members, _) = EnsembleSelection.Select(profile, fitLabels, width, [.. top.Select(i => fitPool[i])]);
            var weights = new Dictionary<Selection, IReadOnlyList<(int Index, double Weight)>>
            {
                [Selection.Ensemble] = [.. members.Select(m => (top[top.FindIndex(i => fitPool[i] == m.Member)], m.Weight))],
                [Selection.BestTrial] = [(order[0], 1.0)],
            };
            if (defaults.Count > 0) weights[Selection.BestDefault] = [(defaults.MaxBy(i => scores[i]), 1.0)];
            foreach (var way in ways)
                Blend(pool, weights[way], apply, width, predictions[way]);
        }
        var crossFitted = ways.ToDictionary(w => w, w => MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, labels, predictions[w])));
        var best = ways.First(w => crossFitted[w] >= crossFitted.Values.Max());
        // One-standard-error rule: a searched way must beat the proven default by more than the rows' noise.
        if (best != Selection.BestDefault && defaults.Count > 0 &&
            crossFitted[best] - crossFitted[Selection.BestDefault] <= EdgeStandardError(profile, labels, predictions[best], predictions[Selection.BestDefault]))
            best = Selection.BestDefault;
        return (best, ways.ToDictionary(w => w, w => MetricCatalog.Compute(profile.Task, width, labels, predictions[w])[profile.Metric]));
    }

    /// <summary>
    /// The standard error of one way's cross-fitted edge over another's, from bootstrap resamples of the rows (any metric,
    /// AUC included). Resamples draw at most MaxResampledRows rows and scale the error by the square root of the share
    /// drawn, so large data costs no more than small data (the edge of a mean-like score shrinks as 1/√rows).
    /// </summary>
    internal static double EdgeStandardError(DatasetProfile profile, double[] labels, double[] lead, double[] other)
    {
        var width = profile.PredictionWidth();
        var drawn = Math.Min(labels.Length, MaxResampledRows);
        var random = new Random(profile.Seed);
        var (sampleLabels, sampleLead, sampleOther) = (new double[drawn], new double[drawn * width], new double[drawn * width]);
        var edges = new double[Resamples];
        for (var b = 0; b < Resamples; b++)
        {
            for (var i = 0; i < drawn; i++)
            {
                var row = random.Next(labels.Length);
                sampleLabels[i] = labels[row];
                Array.Copy(lead, row * width, sampleLead, i * width, width);
                Array.Copy(other, row * width, sampleOther, i * width, width);
            }
            edges[b] = MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, sampleLabels, sampleLead)) -
                       MetricCatalog.Rank(profile.Metric, MetricCatalog.Compute(profile.Task, width, sampleLabels, sampleOther));
        }
        var mean = edges.Average();
        return Math.Sqrt(edges.Sum(e => (e - mean) * (e - mean)) / (Resamples - 1)) * Math.Sqrt((double)drawn / labels.Length);
    }

    private static void Blend(IReadOnlyList<Candidate> pool, IReadOnlyList<(int Index, double Weight)> weights, int[] rows, int width, double[] into)
    {
        foreach (var row in rows)
            for (var k = row * width; k < (row + 1) * width; k++)
                into[k] = weights.Sum(w => w.Weight * pool[w.Index].Predictions[k]);
    }

    private static double[] RowsOf(double[] predictions, int[] rows, int width) =>
        [.. rows.SelectMany(r => predictions.AsSpan(r * width, width).ToArray())];
}
