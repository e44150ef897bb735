using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Per input column: how much the metric drops when that column's values are shuffled across sample rows (all
/// features derived from the column move together). Each column costs one batch scoring of the sample; columns left
/// when the time is up keep an importance of 0.
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Bounds the rows scored (rows × columns × members) so wide data stays quick.</summary>
    private const int PredictionBudget = 200_000;
    private const int MinRows = 50;

    public static (IReadOnlyList<FeatureImportance> Importance, int Scored) Compute(TrainedModel model, PreparedTable table,
        int maxRows, int members, DateTime deadline)
    {
        var profile = model.Profile;
        var columns = profile.Schema.Columns.Select(c => c.Name).ToList();
        var rows = Enumerable.Range(0, Math.Min(table.Rows, Math.Clamp(PredictionBudget / Math.Max(1, (columns.Count + 1) * members), MinRows, maxRows))).ToArray();
        var labels = rows.Select(r => (double)table.Labels[r]).ToList();
        var width = profile.PredictionWidth();
        double Metric(TableView view) =>
            MetricCatalog.Compute(profile.Task, width, labels, model.ScoreAll(view).SelectMany(s => s).ToArray())[profile.Metric];
        var baseline = Metric(new TableView(profile, table, rows));
        var random = new Random(profile.Seed);
        var scored = 0;
        var importance = columns.Select(column =>
        {
            var permutation = Enumerable.Range(0, rows.Length).OrderBy(_ => random.Next()).ToArray();
            if (DateTime.UtcNow > deadline) return new FeatureImportance(column, 0);
            var features = profile.Features.Select((f, i) => (f, i)).Where(x => x.f.Source == column).Select(x => x.i).ToHashSet();
            var score = Metric(new TableView(profile, table, rows, features, permutation));
            scored++;
            return new FeatureImportance(column, Math.Round(MetricCatalog.Gain(profile.Metric, baseline) - MetricCatalog.Gain(profile.Metric, score), 6));
        }).ToList();
        return (importance.OrderByDescending(f => f.Importance).ThenBy(f => f.Column, StringComparer.Ordinal).ToList(), scored);
    }
}
