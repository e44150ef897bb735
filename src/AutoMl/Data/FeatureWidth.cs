namespace Serverless.AutoMl.Data;

/// <summary>
/// What a prepared row becomes after featurization, for cost and memory estimates. One-hot codes and n-grams are
/// sparse: a category adds one non-zero value to a row whatever its number of levels, a short text about as many as it
/// has characters (word unigrams and bigrams, character trigrams), a long one about a third (words only).
/// </summary>
internal static class FeatureWidth
{
    public const int OneHotMaxDistinct = 64;
    public const int HashBits = 12;
    /// <summary>Profiles written before text lengths were measured.</summary>
    private const double UnmeasuredTextLength = 200;

    public static double NonZerosPerRow(IReadOnlyList<FeatureColumn> features) => features.Sum(f => f.Kind switch
    {
        FeatureKind.Number => f.HasMissing ? 2.0 : 1.0,
        FeatureKind.Category => 1.0,
        _ => IsLongText(f) ? 2 + 0.35 * (f.AverageLength ?? UnmeasuredTextLength) : 2 + 1.2 * (f.AverageLength ?? UnmeasuredTextLength),
    });

    /// <summary>
    /// Slots of the featurized vector when stored densely (what a learner that densifies rows pays per row): a number
    /// and its missing indicator, each one-hot level, the hashed slots and statistics of a category with many levels,
    /// and for text more n-grams than any dense learner affords.
    /// </summary>
    public static double DenseSlots(IReadOnlyList<FeatureColumn> features) => features.Sum(f => f.Kind switch
    {
        FeatureKind.Number => f.HasMissing ? 2.0 : 1.0,
        FeatureKind.Category => f.Distinct <= OneHotMaxDistinct ? f.Distinct : (1 << HashBits) + 2.0,
        _ => 1 << 16,
    });

    /// <summary>Text long enough that character n-grams are left out (words and word pairs only: about a third of a value per character).</summary>
    public static bool IsLongText(FeatureColumn feature) => (feature.AverageLength ?? UnmeasuredTextLength) >= LongTextLength;

    private const double LongTextLength = 100;

    /// <summary>Bytes a featurized row takes in memory: an index and a value per non-zero, and a row's bookkeeping.</summary>
    public static double BytesPerRow(IReadOnlyList<FeatureColumn> features) => 8 * NonZerosPerRow(features) + 64;
}
