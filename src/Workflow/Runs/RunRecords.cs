using System.Text.Json.Serialization;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Workflow.Runs;

// A run as the runs container keeps it: what it was started for (the orchestration's input), how it is going
// (its custom status) and how it ended (its output). They outlive the orchestration history.

/// <summary>Why a run was started.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunReason>))]
public enum RunReason
{
    [JsonStringEnumMemberName("upload")] Upload,
    [JsonStringEnumMemberName("retrain")] Retrain,
    [JsonStringEnumMemberName("manual")] Manual,
}

/// <summary>Start one training run on one version of a dataset's data files.</summary>
public sealed record TrainingRequest
{
    public required string Dataset { get; init; }
    /// <summary>Blob name (inside the datasets container) of the upload that started the run, or of the newest file.</summary>
    public required string BlobName { get; init; }
    /// <summary>Which of the dataset's files form its data.</summary>
    public DataFiles DataFiles { get; init; }
    /// <summary>The files the run trains on (names inside the dataset's folder), oldest first, each at the version it
    /// trains on: a newer upload gets its own run. Empty in records of runs from before several files.</summary>
    public IReadOnlyList<SourceFile> Files { get; init; } = [];
    /// <summary>Identifies the data by the files' contents (<see cref="DatasetStore.DataHash"/>).</summary>
    public required string DataHash { get; init; }
    /// <summary>When the newest of the files was written.</summary>
    public DateTimeOffset DataLastModified { get; init; }
    public required TrainingSpec Spec { get; init; }
    /// <summary>Why the spec (metadata or sidecar) is unusable; the run then fails with this reason.</summary>
    public string? SpecError { get; init; }
    public RunReason Reason { get; init; } = RunReason.Upload;
    /// <summary>When a person asked for the run: a manual retrain gets a run of its own even on unchanged data.</summary>
    public DateTimeOffset? RequestedAt { get; init; }
}

/// <summary>The step a run is at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStage>))]
public enum RunStage
{
    [JsonStringEnumMemberName("profiling")] Profiling,
    [JsonStringEnumMemberName("searching")] Searching,
    [JsonStringEnumMemberName("deploying")] Deploying,
    [JsonStringEnumMemberName("done")] Done,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>Custom status while the run is going: what a person watching wants to see.</summary>
public sealed record RunProgress
{
    public required RunStage Stage { get; init; }
    public required string Dataset { get; init; }
    public string? Task { get; init; }
    public string? Metric { get; init; }
    public string? Label { get; init; }
    public int Rows { get; init; }
    public int TrialsDone { get; init; }
    public int TrialsFailed { get; init; }
    public double? BestScore { get; init; }
    public string? BestLearner { get; init; }
    public double ElapsedSeconds { get; init; }
    public double BudgetSeconds { get; init; }
    /// <summary>Trials each worker has run so far (a forecast's: backtest folds).</summary>
    public IReadOnlyDictionary<string, int>? TrialsPerWorker { get; init; }
    /// <summary>A forecast's horizon, in steps.</summary>
    public int? Horizon { get; init; }
    /// <summary>A forecast's backtest folds: each candidate runs them all, one activity each.</summary>
    public int? Folds { get; init; }
    /// <summary>Every finished trial while they are few, then the improvements and a thinned sample (<see cref="TrialTimeline"/>).</summary>
    public IReadOnlyList<TrialPoint> Timeline { get; init; } = [];
}

/// <summary>Where a run stands. Its JSON names are what the run records and the runs API say.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Started, no report yet.</summary>
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Stopped by an operator; its working files were released.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>An upload that is not training data (bad name, wrong place, wrong type): never started, kept so the uploader sees why.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
}

/// <summary>The orchestration's output. A run that cannot train ends "failed" with a readable Error, not as a crash.</summary>
public sealed record TrainingReport
{
    public required RunStatus Status { get; init; }
    public required string Dataset { get; init; }
    public required string BlobName { get; init; }
    public string? Error { get; init; }
    public string? Task { get; init; }
    public string? Metric { get; init; }
    public string? Label { get; init; }
    public string? ModelVersion { get; init; }
    public bool Promoted { get; init; }
    public string? PromotionReason { get; init; }
    public double? CvScore { get; init; }
    public IReadOnlyList<EnsembleMember> Ensemble { get; init; } = [];
    public int Trials { get; init; }
    public int TrialsFailed { get; init; }
    public IReadOnlyList<TrialResult> Leaderboard { get; init; } = [];
    public double Seconds { get; init; }
    /// <summary>Set once the search has run.</summary>
    public SearchStats? Search { get; init; }
    /// <summary>
    /// A forecast's card once it is deployed: its backtest against the seasonal naive's, the measured interval coverage,
    /// the horizon and series (the leaderboard then lists its candidates, scored by backtest MASE). Without the
    /// series' charts, which the registry's card keeps (<see cref="ForecastCard.WithoutCharts"/>).
    /// </summary>
    public ForecastCard? Forecast { get; init; }
}
