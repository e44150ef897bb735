using System.Text.Json.Serialization;
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
/// The scheduled retrain: every dataset whose data (its files as the spec chooses them, by content) is not what its
/// champion was trained on gets a run. Runs go through the same starter and instance-id rule as uploads, so a retrain
/// never duplicates a run already there (even when several hosts' timers fire at once). Each pass records what it
/// decided and why in the runs container.
/// </summary>
public sealed class RetrainPlanner(DatasetStore datasets, ModelRegistry registry, RunStarter starter, RunStore store, TimeProvider time,
    ILogger<RetrainPlanner> logger)
{
    public async Task<IReadOnlyList<RetrainDecision>> RetrainStaleAsync(ITrainingRuns runs, CancellationToken ct = default)
    {
        var withData = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var (dataset, _) in datasets.ListDataAsync(ct))
            withData.Add(dataset);

        var decisions = new List<RetrainDecision>();
        foreach (var dataset in withData)
        {
            try
            {
                decisions.Add(await DecideAsync(dataset, runs, ct));
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

    private async Task<RetrainDecision> DecideAsync(string dataset, ITrainingRuns runs, CancellationToken ct)
    {
        if (await starter.RequestAsync(dataset, RunReason.Retrain, ct: ct) is not { } request)
            return new RetrainDecision(dataset, RetrainAction.Skipped, "its data files disappeared");
        var files = string.Join(", ", request.Files.Select(f => f.Name));
        if (await registry.GetChampionAsync(dataset, ct) is { } c && c.Pointer.DataHash == request.DataHash)
            return new RetrainDecision(dataset, RetrainAction.Skipped, $"champion {c.Pointer.Version} was trained on {files} as they are now");
        var outcome = await starter.StartAsync(request, runs, ct);
        return outcome.Started
            ? new RetrainDecision(dataset, RetrainAction.Started, $"{files} changed since the champion", outcome.InstanceId)
            : new RetrainDecision(dataset, RetrainAction.Exists, $"{files} already have their run", outcome.InstanceId);
    }
}
