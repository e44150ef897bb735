using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Per input column: how much the metric drops when that column's values are shuffled across sample rows (all
/// features derived from the column move together). Each shuffle costs one batch scoring of the sample. Wide data is
/// searched hierarchically: groups of columns are shuffled first, then the columns of the most important groups one
/// by one, so the columns that matter are scored first; columns left when the time is up keep an importance of 0.
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Bounds the rows scored (rows × columns × members) so wide data stays quick.</summary>
    private const int PredictionBudget = 200_000;
    private const int MinRows = 50;
    /// <summary>Up to this many columns each is shuffled on its own; more are grouped first.</summary>
    private const int Groups = 32;

    public static (IReadOnlyList<FeatureImportance> Importance, int Scored) Compute(TrainedModel model, PreparedTable table,
        int maxRows, int members, DateTime deadline)
    {
        var profile = model.Profile;
        var columns = profile.Schema.Columns.Select(c => c.Name).ToList();
        var rows = Enumerable.Range(0, SampleRows(table.Rows, columns.Count, maxRows, members)).ToArray();
        var labels = rows.Select(r => (double)table.Labels[r]).ToList();
        var width = profile.PredictionWidth();
        var random = new Random(profile.Seed);
        var baseline = Score(new TableView(profile, table, rows));
        double Score(TableView view) => MetricCatalog.Gain(profile.Metric,
            MetricCatalog.Compute(profile.Task, width, labels, model.ScoreAll(view).SelectMany(s => s).ToArray())[profile.Metric]);
        double Drop(IEnumerable<string> shuffled)
        {
            var names = shuffled.ToHashSet();
            var features = profile.Features.Select((f, i) => (f, i)).Where(x => names.Contains(x.f.Source)).Select(x => x.i).ToHashSet();
            var permutation = Enumerable.Range(0, rows.Length).OrderBy(_ => random.Next()).ToArray();
            return Math.Round(baseline - Score(new TableView(profile, table, rows, features, permutation)), 6);
        }

        var order = columns;
        if (columns.Count > Groups)
        {
            var size = (columns.Count + Groups - 1) / Groups;
            order = columns.Chunk(size).TakeWhile(_ => DateTime.UtcNow < deadline)
                .Select(group => (Group: group, Drop: Drop(group)))
                .OrderByDescending(g => g.Drop).SelectMany(g => g.Group)
                .Concat(columns).Distinct().ToList();
        }
        var importance = new Dictionary<string, double>();
        foreach (var column in order.TakeWhile(_ => DateTime.UtcNow < deadline))
            importance[column] = Drop([column]);
        return (columns.Select(c => new FeatureImportance(c, importance.GetValueOrDefault(c)))
            .OrderByDescending(f => f.Importance).ThenBy(f => f.Column, StringComparer.Ordinal).ToList(), importance.Count);
    }

    /// <summary>
    /// Seconds importance is expected to take: one scoring of its sample rows per column (and the baseline) by every
    /// member, at the per-row speed the members' trials read and scored their validation rows (an upper bound: it
    /// includes reading).
    /// </summary>
    public static double EstimatedSeconds(DatasetProfile profile, IReadOnlyList<TrialResult> members, int maxRows)
    {
        if (members.Count == 0) return 0;
        var columns = profile.Schema.Columns.Count;
        var rows = SampleRows(profile.Rows, columns, maxRows, members.Count);
        var secondsPerRow = members.Max(t => Math.Max(0, t.Seconds - (t.FitSeconds ?? t.Seconds)) / Math.Max(1, profile.EvaluatedRows()));
        return (double)rows * (columns + 1) * members.Count * secondsPerRow;
    }

    /// <summary>Rows scored per shuffle: every column (and the baseline) is one scoring of them by every member.</summary>
    public static int SampleRows(int tableRows, int columns, int maxRows, int members) =>
        Math.Min(tableRows, Math.Clamp(PredictionBudget / Math.Max(1, (columns + 1) * members), MinRows, maxRows));
}
