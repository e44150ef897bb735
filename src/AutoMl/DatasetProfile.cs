namespace Serverless.AutoMl;

/// <summary>What Prepare learned about a dataset and the settings the search runs with. No row data.</summary>
public sealed record DatasetProfile
{
    public required string Label { get; init; }
    public required MlTask Task { get; init; }
    public required string Metric { get; init; }
    public required int Rows { get; init; }
    /// <summary>Every input column, kept or dropped.</summary>
    public required IReadOnlyList<ColumnProfile> Columns { get; init; }
    /// <summary>The kept columns as a deployed model sees them.</summary>
    public required ModelSchema Schema { get; init; }
    /// <summary>The engine's prepared columns (a datetime column becomes several parts).</summary>
    public required IReadOnlyList<FeatureColumn> Features { get; init; }
    public required string Separator { get; init; }
    public required bool HasHeader { get; init; }
    /// <summary>Cross-validation folds; 1 means a single holdout (fold 0 validates).</summary>
    public required int Folds { get; init; }
    public required int BudgetSeconds { get; init; }
    public required int Seed { get; init; }
    public required int ParallelTrials { get; init; }
    public required double TrialTimeoutSeconds { get; init; }
    public required double PrepareSeconds { get; init; }
    /// <summary>
    /// Memory the parallel trials share (each gets MemoryBytes / ParallelTrials): by default what was available when
    /// the data was prepared. The tuner skips configs estimated not to fit.
    /// </summary>
    public required long MemoryBytes { get; init; }
    public required int ThreadsPerTrial { get; init; }
    /// <summary>Lowest label value (regression): Poisson regression needs non-negative labels.</summary>
    public double? LabelMin { get; init; }
}

/// <summary>Profile of one input column.</summary>
public sealed record ColumnProfile(string Name, ColumnKind Kind, double MissingRatio, int Distinct, bool Dropped, string? DropReason);

/// <summary>
/// One column of the prepared data. Part names the datetime part a number column holds.
/// </summary>
public sealed record FeatureColumn(string Name, string Source, FeatureKind Kind, int Distinct, bool HasMissing, string? Part = null);
