using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// A bundle of AutoML trials, one after another, on this worker. Idempotent: a bundle re-delivered after a crash
/// overwrites its own files.
/// </summary>
public sealed class RunTrialsActivity(RunWorkspace workspace, AutoMlEngine engine, Cluster cluster)
    : WorkflowActivity<TrialBundleInput, TrialBundleOutput>
{
    protected override async Task<TrialBundleOutput> RunCoreAsync(TrialBundleInput input)
    {
        var results = await workspace.RunTrialsAsync(input.RunId, input.Trials,
            folder => [.. input.Trials.Select(config => engine.RunTrial(folder, config))]);
        return new TrialBundleOutput(cluster.WorkerName, results);
    }
}
