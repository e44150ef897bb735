using System.Text.Json.Serialization;
using Serverless.AutoMl;

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

/// <summary>Start one training run on one version of an uploaded file.</summary>
public sealed record TrainingRequest
{
    public required string Dataset { get; init; }
    /// <summary>Blob name inside the datasets container.</summary>
    public required string BlobName { get; init; }
    /// <summary>The ETag the run trains on; a newer upload gets its own run.</summary>
    public required string BlobETag { get; init; }
    /// <summary>Content hash (or ETag when the store has none) identifying the data.</summary>
    public required string DataHash { get; init; }
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
    /// <summary>Trials each worker has run so far.</summary>
    public IReadOnlyDictionary<string, int>? TrialsPerWorker { get; init; }
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
}
