using Microsoft.ML;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Per input column: how much the metric drops when that column's values are shuffled across sample rows
/// (all features derived from the column move together).
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Bounds the predictions made (rows × columns × members) so wide data stays quick.</summary>
    private const int PredictionBudget = 60_000;
    private const int MinRows = 100;

    public static IReadOnlyList<FeatureImportance> Compute(TrainedModel model, PreparedData data, int maxRows, int members)
    {
        var profile = data.Profile;
        var columns = profile.Schema.Columns.Select(c => c.Name).ToList();
        var rows = Math.Clamp(PredictionBudget / Math.Max(1, (columns.Count + 1) * members), MinRows, maxRows);
        var sample = Sample(data, rows);
        var labels = sample.Select(s => data.Labels[s.Row]).ToArray();
        var baseline = Metric(model, profile, labels, data.Width, sample.Select(s => s.Values).ToList());
        var random = new Random(profile.Seed);
        return columns.Select(column =>
            {
                var features = profile.Features.Select((f, i) => (f, i)).Where(x => x.f.Source == column).Select(x => x.i).ToArray();
                var order = Enumerable.Range(0, sample.Count).OrderBy(_ => random.Next()).ToArray();
                var permuted = sample.Select((s, r) =>
                {
                    var values = (object[])s.Values.Clone();
                    foreach (var f in features) values[f] = sample[order[r]].Values[f];
                    return values;
                }).ToList();
                var score = Metric(model, profile, labels, data.Width, permuted);
                return new FeatureImportance(column, Math.Round(MetricCatalog.Gain(profile.Metric, baseline) - MetricCatalog.Gain(profile.Metric, score), 6));
            })
            .OrderByDescending(f => f.Importance).ThenBy(f => f.Column, StringComparer.Ordinal)
            .ToList();
    }

    private static double Metric(TrainedModel model, DatasetProfile profile, double[] labels, int width, List<object[]> rows)
    {
        var predictions = rows.SelectMany(model.Score).ToArray();
        return MetricCatalog.Compute(profile.Task, width, labels, predictions)[profile.Metric];
    }

    /// <summary>Evenly spaced rows of the prepared data, read back in their encoded form.</summary>
    private static List<(int Row, object[] Values)> Sample(PreparedData data, int rows)
    {
        var stride = Math.Max(1, data.Profile.Rows / rows);
        var features = data.Profile.Features;
        var schema = data.Data.Schema;
        using var cursor = data.Data.GetRowCursor(schema.Where(c => !c.IsHidden));
        var rowGetter = cursor.GetGetter<float>(schema[PreparedData.RowColumn]);
        var getters = features.Select(f => f.Kind == FeatureKind.Number ? NumberReader(cursor, schema[f.Name]) : TextReader(cursor, schema[f.Name])).ToList();
        var sample = new List<(int, object[])>();
        float row = 0;
        while (cursor.MoveNext() && sample.Count < rows)
        {
            rowGetter(ref row);
            if ((int)row % stride == 0) sample.Add(((int)row, getters.Select(g => g()).ToArray()));
        }
        return sample;
    }

    private static Func<object> NumberReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<float>(column);
        return () =>
        {
            float value = 0;
            getter(ref value);
            return value;
        };
    }

    private static Func<object> TextReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        return () =>
        {
            ReadOnlyMemory<char> value = default;
            getter(ref value);
            return value.ToString();
        };
    }
}
