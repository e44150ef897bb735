using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

// The activities' messages. They travel through orchestration history, so they carry blob names and small
// summaries, never data. The run's own input and output (TrainingRequest, TrainingReport) are run records.

public sealed record PrepareInput(string RunId, TrainingRequest Request);

public sealed record PrepareOutput(DatasetProfile Profile);

public sealed record TrialInput(string RunId, TrialConfig Config);

public sealed record DeployInput(string RunId, DateTimeOffset StartedAt, TrainingRequest Request, IReadOnlyList<TrialResult> Trials);

public sealed record DeployOutput(string Version, bool Promoted, string Reason, ModelCard Card);
