using System.Runtime.CompilerServices;
using Azure;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Runs;

/// <summary>A run as its records in the runs container tell it.</summary>
public sealed record RunSummary
{
    public required string InstanceId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required RunStatus Status { get; init; }
    public TrainingRequest? Request { get; init; }
    public string? ModelVersion { get; init; }
    public double? CvScore { get; init; }
    public string? Error { get; init; }
    /// <summary>Where the API serves the run (set by the API, which owns the routes).</summary>
    public string? Link { get; init; }
}

/// <summary>
/// The layout of the runs container, in one place: <c>{runId}/request.json</c> (what the run was started for),
/// <c>{runId}/report.json</c> (how it ended), <c>{runId}/work/…</c> (its working files while it runs) and the
/// run ids themselves, <c>{dataset}_{hash of data and spec}</c>; uploads that could not be training data leave a
/// record under <c>_rejected_{hash}</c> (a prefix no dataset name can have).
/// </summary>
public sealed class RunStore(Containers containers)
{
    private const string RequestFile = "request.json";
    private const string ReportFile = "report.json";
    private const string WorkFolder = "work/";
    private const string WatcherReceiptsFile = "_watcher/receipts.json";
    private const string RejectedPrefix = "_rejected_";
    private const string RetrainDecisionsFile = "_retrain/last.json";

    /// <summary>Every run id of a dataset starts with this.</summary>
    public static string InstancePrefix(string dataset) => dataset + "_";

    /// <summary>The same data and spec always give the same id, so the same upload never starts two runs.</summary>
    public static string InstanceIdFor(TrainingRequest request) =>
        InstancePrefix(request.Dataset) + Hash(
            $"{request.DataHash}|{JsonSerializer.Serialize(request.Spec, BlobJson.Options)}|{request.SpecError}|{request.RequestedAt:O}");

    /// <summary>Keeps, as a finished run in the listings, why an upload was not training data.</summary>
    public async Task<string> RecordRejectedAsync(string blobName, string etag, string reason, CancellationToken ct = default)
    {
        var runId = RejectedPrefix + Hash($"{blobName}|{etag}");
        var dataset = blobName.Contains('/') ? blobName[..blobName.IndexOf('/')] : "";
        // The report first: the listing shows a run once its request exists, and this one is never running.
        await WriteReportAsync(runId, new TrainingReport { Status = RunStatus.Rejected, Dataset = dataset, BlobName = blobName, Error = reason }, ct);
        await WriteRequestAsync(runId, new TrainingRequest
        {
            Dataset = dataset, BlobName = blobName, BlobETag = etag, DataHash = "", Spec = new(), SpecError = reason,
        }, ct);
        return runId;
    }

    private static string Hash(string identity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];

    public Task WriteRequestAsync(string runId, TrainingRequest request, CancellationToken ct = default) =>
        BlobJson.WriteAsync(Blob(runId, RequestFile), request, ct: ct);

    /// <summary>
    /// Writes the run's request only if no one has yet: the storage-level claim that makes starting a run idempotent
    /// across hosts and triggers (false when the run was claimed before).
    /// </summary>
    public async Task<bool> TryClaimAsync(string runId, TrainingRequest request, CancellationToken ct = default)
    {
        try
        {
            await BlobJson.WriteAsync(Blob(runId, RequestFile), request, new BlobRequestConditions { IfNoneMatch = ETag.All }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Gives a claim back (the run could not be scheduled), so a retry can claim it again.</summary>
    public Task ReleaseClaimAsync(string runId, CancellationToken ct = default) => Blob(runId, RequestFile).DeleteIfExistsAsync(cancellationToken: ct);

    /// <summary>Deletes every record and file of the dataset's runs; returns how many blobs there were.</summary>
    public Task<int> DeleteDatasetAsync(string dataset, CancellationToken ct = default) =>
        containers.Runs.DeletePrefixAsync(InstancePrefix(dataset), ct);

    public Task WriteReportAsync(string runId, TrainingReport report, CancellationToken ct = default) =>
        BlobJson.WriteAsync(Blob(runId, ReportFile), report, ct: ct);

    /// <summary>Whether the run has ended (its last step writes the report).</summary>
    public async Task<bool> HasReportAsync(string runId, CancellationToken ct = default) =>
        (await Blob(runId, ReportFile).ExistsAsync(ct)).Value;

    public async Task<TrainingRequest?> ReadRequestAsync(string runId, CancellationToken ct = default) =>
        (await BlobJson.ReadAsync<TrainingRequest>(Blob(runId, RequestFile), ct))?.Value;

    public async Task<TrainingReport?> ReadReportAsync(string runId, CancellationToken ct = default) =>
        (await BlobJson.ReadAsync<TrainingReport>(Blob(runId, ReportFile), ct))?.Value;

    /// <summary>The runs of a dataset (of every dataset, and rejected uploads, when null), newest first, from their records.</summary>
    public async Task<IReadOnlyList<RunSummary>> ListAsync(string? dataset, int top = 20, CancellationToken ct = default)
    {
        var started = new Dictionary<string, DateTimeOffset>();
        var reported = new HashSet<string>();
        await foreach (var blob in containers.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, dataset is null ? null : InstancePrefix(dataset), ct))
        {
            var slash = blob.Name.IndexOf('/');
            if (slash < 0) continue;
            var (runId, file) = (blob.Name[..slash], blob.Name[(slash + 1)..]);
            if (file == RequestFile)
                started[runId] = blob.Properties.LastModified ?? default;
            else if (file == ReportFile)
                reported.Add(runId);
        }

        var summaries = new List<RunSummary>();
        foreach (var (runId, at) in started.OrderByDescending(r => r.Value).Take(top))
        {
            var report = reported.Contains(runId) ? await ReadReportAsync(runId, ct) : null;
            summaries.Add(new RunSummary
            {
                InstanceId = runId,
                StartedAt = at,
                Status = report?.Status ?? RunStatus.Running,
                Request = await ReadRequestAsync(runId, ct),
                ModelVersion = report?.ModelVersion,
                CvScore = report?.CvScore,
                Error = report?.Error,
            });
        }
        return summaries;
    }

    /// <summary>Blob names of a run's working files start with this.</summary>
    public static string WorkPrefix(string runId) => $"{runId}/{WorkFolder}";

    public BlobClient WorkBlob(string runId, string relativePath) => containers.Runs.GetBlobClient(WorkPrefix(runId) + relativePath);

    /// <summary>A run's working files, with names relative to its work folder.</summary>
    public async IAsyncEnumerable<(string RelativePath, BlobItem Blob)> ListWorkAsync(
        string runId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var prefix = WorkPrefix(runId);
        await foreach (var blob in containers.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            yield return (blob.Name[prefix.Length..], blob);
    }

    /// <summary>What the last scheduled retrain decided for each dataset, and why.</summary>
    public Task WriteRetrainDecisionsAsync<T>(DateTimeOffset at, IReadOnlyList<T> decisions, CancellationToken ct = default) =>
        BlobJson.WriteAsync(containers.Runs.GetBlobClient(RetrainDecisionsFile), new { at, decisions }, ct: ct);

    /// <summary>What the local blob watcher has already handled (blob name → ETag), so a restart retrains nothing.</summary>
    public BlobClient WatcherReceipts => containers.Runs.GetBlobClient(WatcherReceiptsFile);

    private BlobClient Blob(string runId, string file) => containers.Runs.GetBlobClient($"{runId}/{file}");
}
