namespace Serverless.AutoMl;

/// <summary>Engine settings that are not part of a user's training spec.</summary>
public sealed record AutoMlOptions
{
    /// <summary>Threads each trial's learner may use; 1 because trials already run in parallel.</summary>
    public int ThreadsPerTrial { get; init; } = 1;

    /// <summary>Above this many rows a single stratified holdout replaces k-fold cross-validation.</summary>
    public int HoldoutAboveRows { get; init; } = 100_000;

    public int Folds { get; init; } = 5;

    /// <summary>
    /// Feature values (rows × featurized width × classes) per budget second up to which the search affords
    /// <see cref="Folds"/>-fold cross-validation; up to <see cref="ReducedCvCellsPerSecond"/> it uses 3 folds, above a holdout.
    /// Measured on 2 cores: 5-fold CV on adult (3.5M values) left a 60 s search about ten trials.
    /// </summary>
    public double FullCvCellsPerSecond { get; init; } = 50_000;

    public double ReducedCvCellsPerSecond { get; init; } = 250_000;

    /// <summary>
    /// Memory each of the parallel trials may use. Null: the memory of the machine that prepares the data, shared by
    /// its parallel trials. A host whose trials spread over several machines sets each machine's share.
    /// </summary>
    public long? MemoryPerTrialBytes { get; init; }

    /// <summary>Rows scored for permutation feature importance.</summary>
    public int ImportanceSampleRows { get; init; } = 1000;

    /// <summary>Ragged rows (field count differs from the header) tolerated and dropped, as a fraction of rows.</summary>
    public double RaggedRowTolerance { get; init; } = 0.01;
}
