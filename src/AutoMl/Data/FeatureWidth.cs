namespace Serverless.AutoMl.Data;

/// <summary>Rough number of feature values a prepared row becomes after featurization, for cost and memory estimates.</summary>
internal static class FeatureWidth
{
    public const int OneHotMaxDistinct = 64;
    public const int HashBits = 12;
    /// <summary>Non-zero n-gram features of a typical document.</summary>
    private const int TextValuesPerRow = 2000;

    public static int ValuesPerRow(IReadOnlyList<FeatureColumn> features) => features.Sum(f => f.Kind switch
    {
        FeatureKind.Number => f.HasMissing ? 2 : 1,
        FeatureKind.Category => Math.Min(f.Distinct, f.Distinct <= OneHotMaxDistinct ? OneHotMaxDistinct : 1 << HashBits),
        _ => TextValuesPerRow,
    });
}
