using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Training;

/// <summary>Fits featurization and a learner together on some rows, giving one servable model.</summary>
internal static class ModelFitter
{
    public static (ITransformer Model, int? Iterations) Fit(PreparedData data, Learner learner,
        IReadOnlyDictionary<string, double> hp, IDataView train, IDataView? valid, int? iterations)
    {
        var context = data.Context;
        var featurizer = FeaturePipeline.Build(context, data.Profile, learner.NeedsNormalization).Fit(train);
        var trainFeatures = context.Data.Cache(featurizer.Transform(train));
        var validFeatures = valid is null ? null : featurizer.Transform(valid);
        var fitted = learner.Fit(context, data.Profile, hp, trainFeatures, validFeatures, iterations);
        return (new TransformerChain<ITransformer>(featurizer, fitted.Predictor), fitted.Iterations);
    }

    /// <summary>The prediction values a scored view holds for each row: P(positive), class probabilities, or the value.</summary>
    public static IEnumerable<(int Row, double[] Values)> Read(IDataView scored, MlTask task, int width)
    {
        var schema = scored.Schema;
        var output = task == MlTask.Binary ? schema["Probability"] : schema["Score"];
        using var cursor = scored.GetRowCursor([schema[PreparedData.RowColumn], output]);
        var row = cursor.GetGetter<float>(schema[PreparedData.RowColumn]);
        float rowId = 0;
        if (task == MlTask.Multiclass)
        {
            var scores = cursor.GetGetter<VBuffer<float>>(output);
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                row(ref rowId);
                scores(ref buffer);
                yield return ((int)rowId, Normalized(buffer.DenseValues(), width));
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
                yield return ((int)rowId, [value]);
            }
        }
    }

    /// <summary>Class scores as probabilities summing to one (one-versus-all scores do not).</summary>
    public static double[] Normalized(IEnumerable<float> scores, int width)
    {
        var values = scores.Select(s => double.IsFinite(s) ? Math.Max(0, (double)s) : 0).Take(width).ToArray();
        Array.Resize(ref values, width);
        var sum = values.Sum();
        return sum > 0 ? values.Select(v => v / sum).ToArray() : values.Select(_ => 1.0 / width).ToArray();
    }
}
