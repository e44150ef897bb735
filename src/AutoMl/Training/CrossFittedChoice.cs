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
/// the ensemble, then the default, is preferred: averaging rarely hurts, and a default carries no search's luck.
/// </summary>
internal static class CrossFittedChoice
{
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
        return (best, ways.ToDictionary(w => w, w => MetricCatalog.Compute(profile.Task, width, labels, predictions[w])[profile.Metric]));
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
