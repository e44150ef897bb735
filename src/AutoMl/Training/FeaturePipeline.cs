using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>The featurization for a profile's columns; fitted on each training fold, never on validation rows.</summary>
internal static class FeaturePipeline
{
    public const string FeaturesColumn = "Features";

    /// <summary>
    /// N-grams seen in fewer training rows than this are dropped: they barely generalize and make trees slow.
    /// Small datasets keep them (a threshold of 1 keeps everything), large ones need 10 occurrences.
    /// </summary>
    private static int MinDocumentsPerNgram(int rows) => Math.Clamp(rows / 400, 1, 10);

    /// <summary>The featurizer for the given training rows of a table (category statistics are computed from them).</summary>
    public static IEstimator<ITransformer> Build(MLContext context, DatasetProfile profile, PreparedTable table, int[] trainRows)
    {
        var transforms = context.Transforms;
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var parts = new List<string>();

        if (TableView.Slots(profile, TableView.MissableColumn).Length > 0)
        {
            // Missingness itself can be predictive, so it becomes a feature before imputation hides it.
            chain = chain.Append(transforms.IndicateMissingValues("__missing", TableView.MissableColumn))
                .Append(transforms.Conversion.ConvertType("__missing", outputKind: DataKind.Single));
            parts.Add("__missing");
        }
        if (TableView.Slots(profile, TableView.NumbersColumn).Length > 0)
        {
            chain = chain.Append(transforms.ReplaceMissingValues("__numeric", TableView.NumbersColumn,
                MissingValueReplacingEstimator.ReplacementMode.Mean));
            parts.Add("__numeric");
        }
        var categories = profile.Features.Select((f, i) => (Feature: f, Index: i)).Where(x => x.Feature.Kind == FeatureKind.Category).ToList();
        // One estimator for every one-hot column, fitted in one pass over the rows, instead of one per column.
        var oneHot = categories.Where(x => x.Feature.Distinct <= FeatureWidth.OneHotMaxDistinct)
            .Select(x => new InputOutputColumnPair(Encoded(x.Feature), x.Feature.Name)).ToArray();
        if (oneHot.Length > 0) chain = chain.Append(transforms.Categorical.OneHotEncoding(oneHot));
        foreach (var (feature, index) in categories)
        {
            var output = Encoded(feature);
            if (feature.Distinct <= FeatureWidth.OneHotMaxDistinct)
            {
                parts.Add(output);
                continue;
            }
            chain = chain.Append(transforms.Categorical.OneHotHashEncoding(output, feature.Name, numberOfBits: FeatureWidth.HashBits));
            parts.Add(output);
            foreach (var (suffix, values) in CategoryStatistics.For(profile, table, index, trainRows))
            {
                var encoded = $"{feature.Name}__{suffix}";
                chain = chain.Append(transforms.Conversion.MapValue(encoded, values, feature.Name));
                parts.Add(encoded);
            }
        }
        foreach (var feature in profile.Features.Where(f => f.Kind == FeatureKind.Text))
        {
            var output = $"{feature.Name}__text";
            // The cache checkpoint spares tokenizing the text a second time to count n-grams.
            chain = chain.Append(transforms.Text.FeaturizeText(output, TextOptions(feature), feature.Name))
                .AppendCacheCheckpoint(context)
                .Append(transforms.FeatureSelection.SelectFeaturesBasedOnCount(output, count: MinDocumentsPerNgram(trainRows.Length)));
            parts.Add(output);
        }
        return chain.Append(transforms.Concatenate(FeaturesColumn, parts.ToArray()));
    }

    private static string Encoded(FeatureColumn feature) => $"{feature.Name}__encoded";

    /// <summary>
    /// Word unigrams and bigrams, and character trigrams for short text only: on long text they cost most of the
    /// featurization (reviews of a few hundred characters) and add little to the words.
    /// </summary>
    private static TextFeaturizingEstimator.Options TextOptions(FeatureColumn feature) => new()
    {
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
        CharFeatureExtractor = FeatureWidth.IsLongText(feature) ? null : new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false },
    };

    /// <summary>Only what learners and out-of-fold bookkeeping read from featurized rows.</summary>
    public static IDataView Selected(MLContext context, DatasetProfile profile, IDataView featurized)
    {
        string[] columns = profile.SkewedTarget
            ? [FeaturesColumn, TableView.LabelColumn, TableView.LogLabelColumn, TableView.RowColumn]
            : [FeaturesColumn, TableView.LabelColumn, TableView.RowColumn];
        return context.Transforms.SelectColumns(columns).Fit(featurized).Transform(featurized);
    }
}
