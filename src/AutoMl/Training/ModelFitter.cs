using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>Fits learners on featurized rows, and reads the predictions they make.</summary>
internal static class ModelFitter
{
    /// <summary>
    /// Fits a learner (behind a min-max normalizer when it needs one) on featurized rows; validation rows, when
    /// given, drive early stopping.
    /// </summary>
    public static FittedPredictor FitPredictor(MLContext context, DatasetProfile profile, Learner learner,
        IReadOnlyDictionary<string, double> hp, IDataView train, IDataView? valid, int? iterations)
    {
        if (!learner.NeedsNormalization)
            return learner.Fit(context, profile, hp, context.Data.Cache(train), valid, iterations);
        var normalizer = context.Transforms.NormalizeMinMax(FeaturePipeline.FeaturesColumn).Fit(train);
        var fitted = learner.Fit(context, profile, hp, context.Data.Cache(normalizer.Transform(train)),
            valid is null ? null : normalizer.Transform(valid), iterations);
        return fitted with { Predictor = new TransformerChain<ITransformer>(normalizer, fitted.Predictor) };
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
                yield return ((int)rowId, Scorer.Normalized(buffer.DenseValues(), width));
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
}
