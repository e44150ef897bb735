using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// One forecasting candidate backtested on one fold, on this worker. A candidate that fails or times out comes back
/// as a result saying so. Idempotent: a fold re-delivered after a crash overwrites its own forecasts.
/// </summary>
public sealed class RunForecastFoldActivity(RunWorkspace workspace, ForecastEngine engine, Cluster cluster)
    : WorkflowActivity<ForecastFoldInput, ForecastFoldOutput>
{
    protected override async Task<ForecastFoldOutput> RunCoreAsync(ForecastFoldInput input)
    {
        var files = ForecastEngine.CandidateFiles(input.Candidate, input.Fold);
        var result = await workspace.RunStepAsync(input.RunId, files.Reads,
            folder => engine.RunCandidate(folder, input.Candidate, input.Fold), _ => files.Writes);
        return new ForecastFoldOutput(cluster.WorkerName, result);
    }
}
