using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;

namespace Serverless.Workflow.Runs;

/// <summary>The run an upload maps to; Started is false when that run already existed (the same data and spec).</summary>
public sealed record StartOutcome(string InstanceId, bool Started, bool Rejected = false);

/// <summary>
/// What both hosts do when a blob appears or changes: resolve its spec and start TrainModel under an instance id
/// derived from dataset + data + spec, so the same upload (or a retrain of unchanged data) never starts two runs.
/// </summary>
public sealed class RunStarter(DatasetStore datasets, RunStore store, TrainingSpecResolver specs, ILogger<RunStarter> logger)
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
            DataHash = DatasetStore.DataHash(properties.ContentHash, properties.ETag.ToString()),
            DataLastModified = properties.LastModified,
            Spec = spec,
            SpecError = specError,
            Reason = reason,
        };
        var instanceId = RunStore.InstanceIdFor(request);
        var started = await runs.StartAsync(instanceId, request, ct);
        if (started)
            await store.WriteRequestAsync(instanceId, request, ct);
        logger.LogInformation(started ? "Started run {InstanceId} for datasets/{Blob} ({Reason})" : "Run {InstanceId} for datasets/{Blob} already exists",
            instanceId, blobName, reason);
        return new StartOutcome(instanceId, started);
    }
}
