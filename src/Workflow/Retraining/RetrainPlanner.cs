using System.Text.Json.Serialization;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Retraining;

/// <summary>What the retrain did for one dataset.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetrainAction>))]
public enum RetrainAction
{
    [JsonStringEnumMemberName("started")] Started,
    /// <summary>The data's run exists already (finished, going, or started by another host's timer).</summary>
    [JsonStringEnumMemberName("exists")] Exists,
    [JsonStringEnumMemberName("skipped")] Skipped,
}

public sealed record RetrainDecision(string Dataset, RetrainAction Action, string Reason, string? InstanceId = null);

/// <summary>
/// The scheduled retrain: every dataset whose newest data file is not what its champion was trained on gets a run.
/// Runs go through the same starter and instance-id rule as uploads, so a retrain never duplicates a run already there
/// (even when several hosts' timers fire at once). Each pass records what it decided and why in the runs container.
/// </summary>
public sealed class RetrainPlanner(DatasetStore datasets, ModelRegistry registry, RunStarter starter, RunStore store, TimeProvider time,
    ILogger<RetrainPlanner> logger)
{
    public async Task<IReadOnlyList<RetrainDecision>> RetrainStaleAsync(ITrainingRuns runs, CancellationToken ct = default)
    {
        var newestByDataset = new Dictionary<string, BlobItem>();
        await foreach (var (dataset, blob) in datasets.ListDataAsync(ct))
        {
            if (!newestByDataset.TryGetValue(dataset, out var newest) || blob.Properties.LastModified > newest.Properties.LastModified)
                newestByDataset[dataset] = blob;
        }

        var decisions = new List<RetrainDecision>();
        foreach (var (dataset, blob) in newestByDataset)
        {
            try
            {
                decisions.Add(await DecideAsync(dataset, blob, runs, ct));
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One dataset that cannot be checked now must not stop the others' retrains.
                logger.LogWarning(e, "Retrain of {Dataset} failed", dataset);
                decisions.Add(new RetrainDecision(dataset, RetrainAction.Skipped, $"could not be checked: {e.Message}"));
            }
        }
        await store.WriteRetrainDecisionsAsync(time.GetUtcNow(), decisions, ct);
        logger.LogInformation("Retrain checked {Datasets} datasets, {Started} runs started", decisions.Count, decisions.Count(d => d.Action == RetrainAction.Started));
        return decisions;
    }

    private async Task<RetrainDecision> DecideAsync(string dataset, BlobItem blob, ITrainingRuns runs, CancellationToken ct)
    {
        var champion = await registry.GetChampionAsync(dataset, ct);
        // The starter hashes data the store keeps no MD5 for; unchanged data then maps to the champion's own run.
        if (champion is { } c && c.Pointer.DataHash == DatasetStore.KnownDataHash(blob.Properties.ContentHash))
            return new RetrainDecision(dataset, RetrainAction.Skipped, $"champion {c.Pointer.Version} was trained on {blob.Name} as it is now");
        return await starter.StartAsync(blob.Name, runs, RunReason.Retrain, ct) switch
        {
            { Started: true } started => new RetrainDecision(dataset, RetrainAction.Started, $"{blob.Name} changed since the champion", started.InstanceId),
            { } existing => new RetrainDecision(dataset, RetrainAction.Exists, $"{blob.Name} already has its run", existing.InstanceId),
            null => new RetrainDecision(dataset, RetrainAction.Skipped, $"{blob.Name} disappeared"),
        };
    }
}
