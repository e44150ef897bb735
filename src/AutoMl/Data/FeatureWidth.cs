namespace Serverless.AutoMl.Data;

/// <summary>
/// What a prepared row becomes after featurization, for cost and memory estimates. One-hot codes and n-grams are
/// sparse: a category adds one non-zero value to a row whatever its number of levels, a text about as many as it has
/// characters (word unigrams and character trigrams).
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
        _ => 2 + 1.2 * (f.AverageLength ?? UnmeasuredTextLength),
    });

    /// <summary>Bytes a featurized row takes in memory: an index and a value per non-zero, and a row's bookkeeping.</summary>
    public static double BytesPerRow(IReadOnlyList<FeatureColumn> features) => 8 * NonZerosPerRow(features) + 64;
}
