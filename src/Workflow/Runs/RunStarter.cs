using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;

namespace Serverless.Workflow.Runs;

/// <summary>The run an upload maps to; Started is false when that run already existed (the same data and spec).</summary>
public sealed record StartOutcome(string InstanceId, bool Started, bool Rejected = false);

/// <summary>
/// What both hosts do when a blob appears or changes, and what a retrain asks for: resolve the spec and start TrainModel
/// under an instance id derived from dataset + data + spec, so the same upload (or a retrain of unchanged data) never
/// starts two runs, whichever hosts and triggers see it. One run per dataset at a time: a newer run supersedes (cancels)
/// a run of the same dataset that is still going, since it trains on older data or an older spec.
/// </summary>
public sealed class RunStarter(DatasetStore datasets, RunStore store, TrainingSpecResolver specs, RunCancellation cancellation,
    TimeProvider time, ILogger<RunStarter> logger)
{
    /// <returns>
    /// The run; a rejected record when the blob cannot be training data (its reason is in the runs listing); null
    /// for blobs that are not meant as data (the spec sidecar) or no longer exist.
    /// </returns>
    public async Task<StartOutcome?> StartAsync(string blobName, ITrainingRuns runs, RunReason reason, CancellationToken ct = default)
    {
        var parsed = DatasetBlob.Parse(blobName, out var notData);
        if (parsed is null && notData is null)
            return null;

        BlobProperties properties;
        try
        {
            properties = (await datasets.Blob(blobName).GetPropertiesAsync(cancellationToken: ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        if (parsed is not { } data)
        {
            logger.LogWarning("Rejected datasets/{Blob}: {Reason}", blobName, notData);
            return new StartOutcome(await store.RecordRejectedAsync(blobName, properties.ETag.ToString(), notData!, ct), Started: false, Rejected: true);
        }

        TrainingSpec spec = new();
        string? specError = null;
        try
        {
            spec = await specs.ResolveAsync(data.Dataset, properties.Metadata, ct);
        }
        catch (InvalidDatasetException e)
        {
            specError = e.Message;
        }

        var request = new TrainingRequest
        {
            Dataset = data.Dataset,
            BlobName = blobName,
            BlobETag = properties.ETag.ToString(),
            DataHash = await datasets.DataHashAsync(blobName, properties, ct),
            DataLastModified = properties.LastModified,
            Spec = spec,
            SpecError = specError,
            Reason = reason,
            RequestedAt = reason == RunReason.Manual ? time.GetUtcNow() : null,
        };
        return await StartAsync(request, runs, ct);
    }

    /// <summary>A run of the dataset's newest data file, asked for by a person: a new run even when nothing changed.</summary>
    public async Task<StartOutcome?> RetrainAsync(string dataset, ITrainingRuns runs, CancellationToken ct = default) =>
        (await datasets.ListFilesAsync(dataset, ct)).LastOrDefault() is { } newest
            ? await StartAsync($"{dataset}/{newest.Name}", runs, RunReason.Manual, ct)
            : null;

    private async Task<StartOutcome> StartAsync(TrainingRequest request, ITrainingRuns runs, CancellationToken ct)
    {
        var instanceId = RunStore.InstanceIdFor(request);
        if (!await store.TryClaimAsync(instanceId, request, ct))
        {
            // Claimed before, maybe by another host this very moment, or by one that stopped before scheduling it.
            var late = await runs.StartAsync(instanceId, request, ct);
            logger.LogInformation(late ? "Scheduled run {InstanceId}, claimed before but never started" : "Run {InstanceId} for datasets/{Blob} already exists",
                instanceId, request.BlobName);
            return new StartOutcome(instanceId, late);
        }
        await SupersedeAsync(request.Dataset, instanceId, runs, ct);
        bool started;
        try
        {
            started = await runs.StartAsync(instanceId, request, ct);
        }
        catch
        {
            await store.ReleaseClaimAsync(instanceId, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Started run {InstanceId} for datasets/{Blob} ({Reason})", instanceId, request.BlobName, request.Reason);
        return new StartOutcome(instanceId, started);
    }

    private async Task SupersedeAsync(string dataset, string newRun, ITrainingRuns runs, CancellationToken ct)
    {
        foreach (var run in await store.ListAsync(dataset, ct: ct))
        {
            if (run.InstanceId == newRun || run.Status != RunStatus.Running)
                continue;
            var (outcome, _) = await cancellation.CancelAsync(run.InstanceId, $"Superseded by run {newRun} (newer data or spec).", runs, ct);
            if (outcome == CancelOutcome.Cancelled)
                logger.LogInformation("Run {Old} superseded by {New}", run.InstanceId, newRun);
        }
    }
}
