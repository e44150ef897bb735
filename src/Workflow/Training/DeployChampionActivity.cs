using Serverless.AutoMl;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>Ensembles and refits the best of the search, then publishes it as a new version in the registry.</summary>
public sealed class DeployChampionActivity(RunWorkspace workspace, AutoMlEngine engine, ModelRegistry registry)
    : WorkflowActivity<DeployInput, DeployOutput>
{
    public const string ModelFileName = "model.zip";

    protected override async Task<DeployOutput> RunCoreAsync(DeployInput input)
    {
        var request = input.Request;
        var (card, modelPath) = await workspace.FinishAsync(input.RunId, input.Trials, input.Bundles, folder =>
        {
            var path = Path.Combine(folder, ModelFileName);
            return (engine.Finish(folder, input.Trials, path), path);
        });
        var version = ModelRegistry.VersionFor(input.RunId, input.StartedAt);
        card = card with
        {
            Dataset = request.Dataset,
            Version = version,
            RunId = input.RunId,
            SourceBlob = request.BlobName,
            DataHash = request.DataHash,
            CreatedAt = input.StartedAt,
        };
        var outcome = await registry.DeployAsync(request.Dataset, version, modelPath, card, request.DataLastModified);
        return new DeployOutput(version, outcome.Promoted, outcome.Reason, card);
    }
}
