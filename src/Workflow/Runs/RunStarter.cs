using Azure;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;

namespace Serverless.Workflow.Runs;

/// <summary>The run an upload maps to; Started is false when that run already existed (the same data and spec).</summary>
public sealed record StartOutcome(string InstanceId, bool Started, bool Rejected = false);

/// <summary>
/// What both hosts do when a blob appears or changes, and what a retrain asks for: resolve the spec, list the dataset's
/// data files (all of them, or the newest only, as the spec says) and start TrainModel under an instance id derived from
/// dataset + the files' contents + spec, so the same data (or a retrain of unchanged data) never starts two runs,
/// whichever hosts, triggers and files see it. One run per dataset at a time: a newer run supersedes (cancels) a run
/// of the same dataset that is still going, since it trains on older data or an older spec.
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
        if (parsed is { } data)
            return await RequestAsync(data.Dataset, reason, data.File, ct) is { } request ? await StartAsync(request, runs, ct) : null;
        if (notData is null)
            return null;
        try
        {
            var etag = (await datasets.Blob(blobName).GetPropertiesAsync(cancellationToken: ct)).Value.ETag.ToString();
            logger.LogWarning("Rejected datasets/{Blob}: {Reason}", blobName, notData);
            return new StartOutcome(await store.RecordRejectedAsync(blobName, etag, notData, ct), Started: false, Rejected: true);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A run of the dataset's data as it is now, asked for by a person: a new run even when nothing changed.</summary>
    public async Task<StartOutcome?> RetrainAsync(string dataset, ITrainingRuns runs, CancellationToken ct = default) =>
        await RequestAsync(dataset, RunReason.Manual, upload: null, ct) is { } request ? await StartAsync(request, runs, ct) : null;

    /// <summary>
    /// What a run of the dataset's data as it is now would train on: the spec (from the newest file's metadata, the
    /// sidecar, the settings) and the files it chooses, each with its content hash. Null when the dataset has no data
    /// file, or <paramref name="upload"/> (a file name inside the dataset's folder) is no longer one of them.
    /// </summary>
    public async Task<TrainingRequest?> RequestAsync(string dataset, RunReason reason, string? upload = null, CancellationToken ct = default)
    {
        var files = await datasets.ListFilesAsync(dataset, ct);
        if (files.Count == 0 || (upload is not null && files.All(f => f.Name != upload)))
            return null;
        var newest = files[^1];
        IDictionary<string, string> metadata;
        try
        {
            metadata = (await datasets.Blob($"{dataset}/{newest.Name}").GetPropertiesAsync(cancellationToken: ct)).Value.Metadata;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        DatasetSpec spec = new();
        string? specError = null;
        try
        {
            spec = await specs.ResolveAsync(dataset, metadata, ct);
        }
        catch (InvalidDatasetException e)
        {
            specError = e.Message;
        }

        var chosen = new List<SourceFile>();
        foreach (var file in spec.DataFiles == DataFiles.Replace ? [newest] : files)
            chosen.Add(await datasets.WithContentHashAsync(dataset, file, ct));
        return new TrainingRequest
        {
            Dataset = dataset,
            BlobName = $"{dataset}/{upload ?? newest.Name}",
            DataFiles = spec.DataFiles ?? DataFiles.Append,
            Files = chosen,
            DataHash = DatasetStore.DataHash([.. chosen.Select(f => f.ContentHash!)]),
            DataLastModified = chosen.Max(f => f.LastModified),
            Spec = spec.Training,
            SpecError = specError,
            Reason = reason,
            RequestedAt = reason == RunReason.Manual ? time.GetUtcNow() : null,
        };
    }

    /// <summary>Starts the request's run unless it exists already (claimed by this or another host).</summary>
    public async Task<StartOutcome> StartAsync(TrainingRequest request, ITrainingRuns runs, CancellationToken ct = default)
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
        logger.LogInformation("Started run {InstanceId} for datasets/{Blob} on {Files} files ({Reason})", instanceId, request.BlobName,
            request.Files.Count, request.Reason);
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
