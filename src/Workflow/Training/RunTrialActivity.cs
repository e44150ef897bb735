using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>One AutoML trial. Idempotent: a trial re-delivered after a crash overwrites its own files.</summary>
public sealed class RunTrialActivity(RunWorkspace workspace, AutoMlEngine engine) : WorkflowActivity<TrialInput, TrialResult>
{
    protected override Task<TrialResult> RunCoreAsync(TrialInput input) =>
        workspace.RunAsync(input.RunId, folder => engine.RunTrial(folder, input.Config));
}
