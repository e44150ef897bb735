namespace Serverless.AutoMl;

/// <summary>Engine settings that are not part of a user's training spec.</summary>
public sealed record AutoMlOptions
{
    /// <summary>Threads each trial's learner may use; 1 because trials already run in parallel. Finish uses every core.</summary>
    public int ThreadsPerTrial { get; init; } = 1;

    /// <summary>Above this many rows a single stratified holdout replaces k-fold cross-validation.</summary>
    public int HoldoutAboveRows { get; init; } = 100_000;

    /// <summary>Validation rows of a holdout at most; the rest train (more validation rows barely sharpen the score).</summary>
    public int HoldoutMaxRows { get; init; } = 25_000;

    public int Folds { get; init; } = 5;

    /// <summary>
    /// Memory each of the parallel trials may use. Null: the memory of the machine that prepares the data, shared by
    /// its parallel trials. A host whose trials spread over several machines sets each machine's share (and raises
    /// <see cref="MaxParallelTrials"/> to the slots of all of them).
    /// </summary>
    public long? MemoryPerTrialBytes { get; init; }

    /// <summary>Rows scored for permutation feature importance.</summary>
    public int ImportanceSampleRows { get; init; } = DefaultImportanceSampleRows;
    public const int DefaultImportanceSampleRows = 1000;

    /// <summary>Ragged rows (field count differs from the header) tolerated and dropped, as a fraction of rows.</summary>
    public double RaggedRowTolerance { get; init; } = 0.01;

    /// <summary>Memory the engine plans with (kept rows, parallel trials, model sizes): what the runtime says is available.</summary>
    public long MemoryBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Rows kept from a file at most, whatever the memory; more are sampled.</summary>
    public int MaxRows { get; init; } = 5_000_000;

    /// <summary>
    /// Trials that may run at once: more than the cores only time-slices them (and a request for 1000 would run 1000
    /// trials each a thousand times slower). A host that runs trials on other machines may raise it.
    /// </summary>
    public int MaxParallelTrials { get; init; } = Environment.ProcessorCount;
}
