namespace Serverless.AutoMl;

/// <summary>Engine settings that are not part of a user's training spec.</summary>
public sealed record AutoMlOptions
{
    /// <summary>Threads each trial's learner may use; 1 because trials already run in parallel.</summary>
    public int ThreadsPerTrial { get; init; } = 1;

    /// <summary>Above this many rows a single stratified holdout replaces k-fold cross-validation.</summary>
    public int HoldoutAboveRows { get; init; } = 100_000;

    public int Folds { get; init; } = 5;

    /// <summary>Rows scored for permutation feature importance.</summary>
    public int ImportanceSampleRows { get; init; } = 1000;

    /// <summary>Ragged rows (field count differs from the header) tolerated and dropped, as a fraction of rows.</summary>
    public double RaggedRowTolerance { get; init; } = 0.01;
}
