using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>Reads what a model predicted: P(positive) for binary, class probabilities, or the value on the label's own scale.</summary>
internal static class Predictions
{
    public static string OutputColumn(MlTask task) => task == MlTask.Binary ? "Probability" : "Score";

    /// <summary>The prediction values of every row of a scored view, with the row's index in its table.</summary>
    public static IEnumerable<(int Row, double[] Values)> Read(IDataView scored, MlTask task, int width, TargetTransform target)
    {
        var schema = scored.Schema;
        var output = schema[OutputColumn(task)];
        using var cursor = scored.GetRowCursor([schema[TableView.RowColumn], output]);
        var row = cursor.GetGetter<int>(schema[TableView.RowColumn]);
        var rowId = 0;
        if (task == MlTask.Multiclass)
        {
            var scores = cursor.GetGetter<VBuffer<float>>(output);
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                row(ref rowId);
                scores(ref buffer);
                yield return (rowId, Normalized(buffer.DenseValues(), width));
            }
        }
        else
        {
            var score = cursor.GetGetter<float>(output);
            float value = 0;
            while (cursor.MoveNext())
            {
                row(ref rowId);
                score(ref value);
                yield return (rowId, [OnLabelScale(value, target)]);
            }
        }
    }

    /// <summary>A regression score mapped back from the scale the model learned on.</summary>
    public static double OnLabelScale(double score, TargetTransform target) =>
        target == TargetTransform.Log1p ? double.ExpM1(Math.Min(score, 700)) : score;

    /// <summary>Class scores as probabilities summing to one (one-versus-all scores do not).</summary>
    public static double[] Normalized(IEnumerable<float> scores, int width)
    {
        var values = scores.Select(s => float.IsFinite(s) ? Math.Max(0, (double)s) : 0).Take(width).ToArray();
        Array.Resize(ref values, width);
        var sum = values.Sum();
        return sum > 0 ? values.Select(v => v / sum).ToArray() : values.Select(_ => 1.0 / width).ToArray();
    }
}
