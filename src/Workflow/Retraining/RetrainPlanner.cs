using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Retraining;

/// <summary>
/// The scheduled retrain: every dataset whose newest data file is not what its champion was trained on gets a run.
/// Runs go through the same starter and instance-id rule as uploads, so a retrain never overlaps a run already there.
/// </summary>
public sealed class RetrainPlanner(Containers containers, ModelRegistry registry, TrainingStarter starter, ILogger<RetrainPlanner> logger)
{
    public async Task<IReadOnlyList<StartOutcome>> RetrainStaleAsync(ITrainingRuns runs, CancellationToken ct = default)
    {
        var newestByDataset = new Dictionary<string, BlobItem>();
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
        {
            if (DatasetBlob.Parse(blob.Name, out _) is not { } parsed)
                continue;
            if (!newestByDataset.TryGetValue(parsed.Dataset, out var newest) || blob.Properties.LastModified > newest.Properties.LastModified)
                newestByDataset[parsed.Dataset] = blob;
        }

        var outcomes = new List<StartOutcome>();
        foreach (var (dataset, blob) in newestByDataset)
        {
            var champion = await registry.GetChampionAsync(dataset, ct);
            if (champion is { } c && c.Pointer.DataHash == DataHash(blob.Properties))
                continue;
            if (await starter.StartAsync(blob.Name, runs, "retrain", ct) is { } outcome)
                outcomes.Add(outcome);
        }
        logger.LogInformation("Retrain checked {Datasets} datasets, {Started} runs started", newestByDataset.Count, outcomes.Count(o => o.Started));
        return outcomes;
    }

    static string DataHash(BlobItemProperties properties) => TrainingStarter.DataHash(properties.ContentHash, properties.ETag?.ToString() ?? "");
}
