using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Ensembles and refits the best of the search, then publishes it as a new version in the registry, where it replaces
/// the champion if it does better on the same rows (<see cref="ModelRegistry.DeployAsync"/>).
/// </summary>
public sealed class DeployChampionActivity(RunWorkspace workspace, AutoMlEngine engine, ModelRegistry registry, DatasetStore datasets)
    : WorkflowActivity<DeployInput, DeployOutput>
{
    public const string ModelFileName = "model.zip";

    protected override async Task<DeployOutput> RunCoreAsync(DeployInput input)
    {
        var request = input.Request;
        var (card, modelPath, predictions) = await workspace.FinishAsync(input.RunId, input.Trials, input.Bundles, folder =>
        {
            var path = Path.Combine(folder, ModelFileName);
            return (engine.Finish(folder, input.Trials, path, counts: input.Counts), path, engine.ReadFinalPredictions(folder));
        });
        var version = ModelRegistry.VersionFor(input.RunId, input.StartedAt);
        card = Deployed(card, request, input.RunId, version, input.StartedAt);
        var outcome = await registry.DeployAsync(request.Dataset, version, modelPath, card, request.DataLastModified,
            (champion, ct) => CompareOnUnseenRowsAsync(request, predictions, champion, ct));
        return new DeployOutput(version, outcome.Promoted, outcome.Reason, card);
    }

    /// <summary>
    /// The challenger's out-of-fold predictions of the rows of the files whose contents the champion never saw, against
    /// the champion model's predictions of the same raw rows (those files downloaded at the versions the run trained on).
    /// </summary>
    private async Task<RowComparison?> CompareOnUnseenRowsAsync(TrainingRequest request, OutOfFoldPredictions challenger,
        ChampionPointer champion, CancellationToken ct)
    {
        var unseen = Enumerable.Range(0, request.Files.Count)
            .Where(position => !champion.Saw(request.Files[position].ContentHash!) && challenger.RowsFrom(new HashSet<int> { position }) > 0)
            .ToList();
        if (unseen.Count == 0)
            return null;
        var folder = Directory.CreateTempSubdirectory("champion-").FullName;
        try
        {
            var modelPath = Path.Combine(folder, ModelFileName);
            await registry.DownloadModelAsync(champion, modelPath, ct);
            var files = await datasets.DownloadAsync(request.Dataset, request.Files, unseen, folder, ct);
            using var model = TrainedModel.Load(modelPath);
            return ModelEvaluation.CompareOnRows(challenger, model, files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A card with what its deployment adds: where the model came from, which files it saw, which version it is.</summary>
    internal static ModelCard Deployed(ModelCard card, TrainingRequest request, string runId, string version, DateTimeOffset startedAt) => card with
    {
        Dataset = request.Dataset,
        Version = version,
        RunId = runId,
        SourceBlob = request.BlobName,
        DataHash = request.DataHash,
        SourceFiles = request.Files,
        CreatedAt = startedAt,
    };
}
