using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Api;

// What the API answers, as types: the endpoints write them and the OpenAPI document describes them.

/// <summary>GET runs: recent runs (of one dataset when asked), newest first.</summary>
public sealed record RunList(string? Dataset, IReadOnlyList<RunSummary> Runs);

/// <summary>The champion in a line, for listings.</summary>
public sealed record ChampionSummary(string Version, string Metric, double CvScore, DateTimeOffset PromotedAt);

/// <summary>One dataset in GET datasets.</summary>
public sealed record DatasetSummary(string Dataset, int Files, DateTimeOffset? LastUpload, ChampionSummary? Champion, RunSummary? LastRun);

/// <summary>GET datasets.</summary>
public sealed record DatasetList(IReadOnlyList<DatasetSummary> Datasets);

/// <summary>GET datasets/{dataset}: its files, its spec sidecar, its champion and recent runs.</summary>
public sealed record DatasetDetail(string Dataset, IReadOnlyList<SourceFile> Files, DatasetSpec? Spec, ChampionPointer? Champion, IReadOnlyList<RunSummary> Runs);

/// <summary>An upload or retrain was accepted: the run that trains it (Started is false when the same data and spec had trained before).</summary>
public sealed record RunAccepted(string Run, string Link, bool Started, string Note);

/// <summary>DELETE datasets/{dataset}: how many blobs went from each container.</summary>
public sealed record DatasetDeleted(string Dataset, int Files, int RunBlobs, int ModelBlobs);

/// <summary>GET models/{dataset}: the champion pointer and every version's card, newest first.</summary>
public sealed record ModelList(string Dataset, ChampionPointer? Champion, IReadOnlyList<ModelCard> Versions);

/// <summary>A rollback or promotion: the champion now live.</summary>
public sealed record ChampionChanged(string Dataset, ChampionPointer Champion);
