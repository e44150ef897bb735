namespace Serverless.AutoMl;

/// <summary>What Prepare learned about a dataset and the settings the search runs with. No row data.</summary>
public sealed record DatasetProfile
{
    public required string Label { get; init; }
    public required MlTask Task { get; init; }
    public required string Metric { get; init; }
    /// <summary>Rows prepared for the search: the file's labelled rows, or a random sample of them when there are more
    /// than the budget can prepare or memory can hold (see Notes).</summary>
    public required int Rows { get; init; }
    /// <summary>Labelled rows in the file.</summary>
    public int SourceRows { get; init; }
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
    /// <summary>Rows that get out-of-fold predictions: every row under cross-validation, the validation rows of a holdout.
    /// They come first in the prepared data.</summary>
    public int EvaluationRows { get; init; }
    /// <summary>
    /// Training rows per fold the search can train on, smallest first; the last is every training row of a fold.
    /// Trials start on the smallest (a stratified prefix of the rows) and move up when it pays.
    /// </summary>
    public IReadOnlyList<int> SampleSizes { get; init; } = [];
    /// <summary>When Prepare started: prepare, trials and Finish share one clock.</summary>
    public DateTime? StartedAtUtc { get; init; }
    /// <summary>How the file's bytes were decoded (utf-8 unless it was not valid UTF-8).</summary>
    public string? Encoding { get; init; }
    public required int BudgetSeconds { get; init; }
    public required int Seed { get; init; }
    public required int ParallelTrials { get; init; }
    public required double TrialTimeoutSeconds { get; init; }
    public required double PrepareSeconds { get; init; }
    /// <summary>Seconds per row Prepare took to featurize the first folds: what Finish's featurizing of every row is sized from.</summary>
    public double FeaturizeSecondsPerRow { get; init; }
    /// <summary>
    /// Memory the parallel trials share (each gets MemoryBytes / ParallelTrials): by default what was available when
    /// the data was prepared. The tuner skips configs estimated not to fit.
    /// </summary>
    public required long MemoryBytes { get; init; }
    public required int ThreadsPerTrial { get; init; }
    /// <summary>Lowest label value (regression): Poisson regression needs non-negative labels.</summary>
    public double? LabelMin { get; init; }
    /// <summary>Regression with a non-negative, right-skewed label: learning log(1 + label) is a searched choice.</summary>
    public bool SkewedTarget { get; init; }
    /// <summary>Binary: share of rows in the positive class.</summary>
    public double? PositiveRatio { get; init; }
    /// <summary>Decisions a user should know about (sampling, holdout, dropped rows), in plain words.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Profile of one input column.</summary>
public sealed record ColumnProfile(string Name, ColumnKind Kind, double MissingRatio, int Distinct, bool Dropped, string? DropReason);

/// <summary>
/// One column of the prepared data. Part names the datetime part a number column holds.
/// </summary>
public sealed record FeatureColumn(string Name, string Source, FeatureKind Kind, int Distinct, bool HasMissing, string? Part = null)
{
    /// <summary>Text: average characters per value, for the featurized width estimate.</summary>
    public double? AverageLength { get; init; }
}
