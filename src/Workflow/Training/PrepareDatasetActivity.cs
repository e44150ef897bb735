using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Profiles the data files the run was started for as one dataset and prepares it for the trials. Unless the spec says
/// otherwise, the run keeps as many trials running as the whole deployment can (<see cref="Cluster.Slots"/>).
/// </summary>
public sealed class PrepareDatasetActivity(DatasetStore datasets, RunWorkspace workspace, AutoMlEngine engine, Cluster cluster)
    : PrepareActivity<PrepareOutput>(datasets)
{
    protected override async Task<PrepareOutput> PrepareAsync(PrepareInput input, IReadOnlyDictionary<int, string> paths, string scratch)
    {
        var spec = input.Request.Spec with { ParallelTrials = input.Request.Spec.ParallelTrials ?? cluster.Slots };
        var profile = await workspace.PrepareAsync(input.RunId, work => engine.Prepare([.. paths.Values], spec, work, input.BudgetStartedAt));
        return new PrepareOutput(profile);
    }
}
