using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>Fits learners on featurized rows.</summary>
internal static class ModelFitter
{
    private const double MaxCachedBytes = 256e6;

    /// <summary>
    /// Fits a learner (behind a min-max normalizer when it needs one) on featurized rows; validation rows, when
    /// given, drive early stopping. Learners pass over the rows several times (linear ones once per iteration), so
    /// the rows are cached in memory unless they are too many to hold twice; then they stream from the fold file.
    /// </summary>
    public static FittedPredictor FitPredictor(MLContext context, DatasetProfile profile, Learner learner,
        IReadOnlyDictionary<string, double> hp, IDataView train, IDataView? valid, int? iterations)
    {
        IDataView Cached(IDataView rows) =>
            learner.NeedsNormalization || (train.GetRowCount() ?? long.MaxValue) * FeatureWidth.BytesPerRow(profile.Features) <= MaxCachedBytes
                ? context.Data.Cache(rows) : rows;
        if (!learner.NeedsNormalization)
            return learner.Fit(context, profile, hp, Cached(train), valid, iterations);
        var normalizer = context.Transforms.NormalizeMinMax(FeaturePipeline.FeaturesColumn).Fit(train);
        var fitted = learner.Fit(context, profile, hp, Cached(normalizer.Transform(train)),
            valid is null ? null : normalizer.Transform(valid), iterations);
        return fitted with { Predictor = new TransformerChain<ITransformer>(normalizer, fitted.Predictor) };
    }
}
