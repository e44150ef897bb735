using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Reads the data files the run was started for (those exact versions), profiles them as one dataset and prepares it
/// for the trials. Unless the spec says otherwise, the run keeps as many trials running as the whole deployment can
/// (<see cref="Cluster.Slots"/>).
/// </summary>
public sealed class PrepareDatasetActivity(DatasetStore datasets, RunWorkspace workspace, AutoMlEngine engine, Cluster cluster)
    : WorkflowActivity<PrepareInput, PrepareOutput>
{
    protected override async Task<PrepareOutput> RunCoreAsync(PrepareInput input)
    {
        var request = input.Request;
        if (request.SpecError is not null)
            throw new InvalidDatasetException(request.SpecError);
        var folder = Directory.CreateTempSubdirectory($"{input.RunId}-").FullName;
        try
        {
            var paths = await datasets.DownloadAsync(request.Dataset, request.Files, Enumerable.Range(0, request.Files.Count), folder);
            var spec = request.Spec with { ParallelTrials = request.Spec.ParallelTrials ?? cluster.Slots };
            var profile = await workspace.PrepareAsync(input.RunId, work => engine.Prepare([.. paths.Values], spec, work, input.BudgetStartedAt));
            return new PrepareOutput(profile);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
