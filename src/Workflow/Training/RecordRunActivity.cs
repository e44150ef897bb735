using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

public sealed record RecordRunInput(string RunId, TrainingReport Report);

/// <summary>
/// The last step of every run, succeeded or failed: its report is kept at runs/{runId}/report.json (it outlives the
/// orchestration history) and the run's working files are released.
/// </summary>
public sealed class RecordRunActivity(RunStore store, RunWorkspace workspace) : WorkflowActivity<RecordRunInput, bool>
{
    protected override async Task<bool> RunCoreAsync(RecordRunInput input)
    {
        await store.WriteReportAsync(input.RunId, input.Report);
        await workspace.ReleaseAsync(input.RunId);
        return true;
    }
}
