using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Training;

public sealed record StartOutcome(string InstanceId, bool Started);

/// <summary>
/// What both hosts do when a blob appears or changes: resolve its spec and start TrainModel under an instance id
/// derived from dataset + data + spec, so the same upload (or a retrain of unchanged data) never starts two runs.
/// </summary>
public sealed class TrainingStarter(Containers containers, TrainingSpecResolver specs, ILogger<TrainingStarter> logger)
{
    /// <summary>Each run's request, kept at runs/{runId}/request.json: lets the chain point callers at a dataset's latest run.</summary>
    public const string RequestFileName = "request.json";

    /// <returns>The run, or null when the blob is not training data or no longer exists.</returns>
    public async Task<StartOutcome?> StartAsync(string blobName, ITrainingRuns runs, string reason, CancellationToken ct = default)
    {
        if (DatasetBlob.Parse(blobName, out var notData) is not { } parsed)
        {
            if (notData is not null)
                logger.LogWarning("Ignoring datasets/{Blob}: {Reason}", blobName, notData);
            return null;
        }

        Azure.Storage.Blobs.Models.BlobProperties properties;
        try
        {
            properties = (await containers.Datasets.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        TrainingSpec spec = new();
        string? specError = null;
        try
        {
            spec = await specs.ResolveAsync(parsed.Dataset, properties.Metadata, ct);
        }
        catch (InvalidDatasetException e)
        {
            specError = e.Message;
        }

        var dataHash = DataHash(properties.ContentHash, properties.ETag.ToString());
        var request = new TrainingRequest
        {
            Dataset = parsed.Dataset,
            BlobName = blobName,
            BlobETag = properties.ETag.ToString(),
            DataHash = dataHash,
            DataLastModified = properties.LastModified,
            Spec = spec,
            SpecError = specError,
            Reason = reason,
        };
        var instanceId = InstanceIdFor(request);
        var started = await runs.StartAsync(instanceId, request, ct);
        if (started)
            await BlobJson.WriteAsync(containers.Runs.GetBlobClient($"{instanceId}/{RequestFileName}"), request, ct: ct);
        logger.LogInformation(started ? "Started run {InstanceId} for datasets/{Blob} ({Reason})" : "Run {InstanceId} for datasets/{Blob} already exists",
            instanceId, blobName, reason);
        return new StartOutcome(instanceId, started);
    }

    /// <summary>Identifies the data: its MD5 when the store computed one, else its ETag.</summary>
    public static string DataHash(byte[]? contentMd5, string etag) => contentMd5 is { Length: > 0 }
        ? "md5:" + Convert.ToBase64String(contentMd5)
        : "etag:" + etag.Trim('"');

    public static string InstanceIdFor(TrainingRequest request)
    {
        var identity = $"{request.DataHash}|{JsonSerializer.Serialize(request.Spec, BlobJson.Options)}|{request.SpecError}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        return RunState.InstancePrefix(request.Dataset) + hash;
    }
}
