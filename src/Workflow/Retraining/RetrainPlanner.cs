using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Retraining;

/// <summary>
/// The scheduled retrain: every dataset whose newest data file is not what its champion was trained on gets a run.
/// Runs go through the same starter and instance-id rule as uploads, so a retrain never overlaps a run already there.
/// </summary>
public sealed class RetrainPlanner(DatasetStore datasets, ModelRegistry registry, RunStarter starter, ILogger<RetrainPlanner> logger)
{
    public async Task<IReadOnlyList<StartOutcome>> RetrainStaleAsync(ITrainingRuns runs, CancellationToken ct = default)
    {
        var newestByDataset = new Dictionary<string, BlobItem>();
        await foreach (var (dataset, blob) in datasets.ListDataAsync(ct))
        {
            if (!newestByDataset.TryGetValue(dataset, out var newest) || blob.Properties.LastModified > newest.Properties.LastModified)
                newestByDataset[dataset] = blob;
        }

        var outcomes = new List<StartOutcome>();
        foreach (var (dataset, blob) in newestByDataset)
        {
            var champion = await registry.GetChampionAsync(dataset, ct);
            if (champion is { } c && c.Pointer.DataHash == DatasetStore.DataHash(blob.Properties.ContentHash, blob.Properties.ETag?.ToString() ?? ""))
                continue;
            if (await starter.StartAsync(blob.Name, runs, RunReason.Retrain, ct) is { } outcome)
                outcomes.Add(outcome);
        }
        logger.LogInformation("Retrain checked {Datasets} datasets, {Started} runs started", newestByDataset.Count, outcomes.Count(o => o.Started));
        return outcomes;
    }
}
