namespace Serverless.AutoMl.Data;

/// <summary>
/// Seconds a reference trial takes (LightGBM, one thread, ReferenceRounds boosting rounds of a mid-size tree), from the
/// data's shape alone: Prepare plans evaluation and sample sizes with it, and the search loop sizes its first bundles
/// with it, before any trial has run; the tuner then scales measured trial times instead.
/// </summary>
internal static class CostModel
{
    public const int ReferenceRounds = 100;
    /// <summary>Row-rounds × (non-zeros + RowOverhead) LightGBM boosts per second on one core (measured on 2-core machines).</summary>
    private const double ValuesPerSecond = 150e6;
    /// <summary>Per-row work besides the non-zeros (gradients, partitioning, scoring the validation rows).</summary>
    private const double RowOverhead = 8;

    public static int TreesPerRound(DatasetProfile profile) => TreesPerRound(profile.Task, profile.Schema.Classes?.Count ?? 1);

    public static int TreesPerRound(MlTask task, int classes) => task == MlTask.Multiclass ? classes : 1;

    /// <summary>One fold's fit on trainRows rows.</summary>
    public static double ReferenceFitSeconds(int trainRows, double nonZerosPerRow, int treesPerRound) =>
        (double)trainRows * (nonZerosPerRow + RowOverhead) * treesPerRound * ReferenceRounds / ValuesPerSecond;

    /// <summary>A reference trial of the prepared data: one reference fit per fold, each on trainRows rows.</summary>
    public static double ReferenceTrialSeconds(DatasetProfile profile, int trainRows) =>
        Math.Max(1, profile.Folds) * ReferenceFitSeconds(trainRows, FeatureWidth.NonZerosPerRow(profile.Features), TreesPerRound(profile));
}
