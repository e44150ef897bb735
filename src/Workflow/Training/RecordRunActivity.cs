using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Training;

public sealed record RecordRunInput(string RunId, TrainingReport Report);

/// <summary>
/// The last step of every run, succeeded or failed: its report is kept at runs/{runId}/report.json (it outlives the
/// orchestration history) and the run's working files are released.
/// </summary>
public sealed class RecordRunActivity(Containers containers, RunWorkspace workspace) : WorkflowActivity<RecordRunInput, bool>
{
    public const string ReportFileName = "report.json";

    protected override async Task<bool> RunCoreAsync(RecordRunInput input)
    {
        await BlobJson.WriteAsync(containers.Runs.GetBlobClient($"{input.RunId}/{ReportFileName}"), input.Report);
        await workspace.ReleaseAsync(input.RunId);
        return true;
    }
}
