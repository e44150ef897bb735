using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Runs;

/// <summary>A run as its records in the runs container tell it (they outlive the orchestration history).</summary>
public sealed record RunSummary
{
    public required string InstanceId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required RunStatus Status { get; init; }
    public TrainingRequest? Request { get; init; }
    public string? ModelVersion { get; init; }
    public double? CvScore { get; init; }
    public string? Error { get; init; }
    public string Link => $"/api/runs/{InstanceId}";
}

/// <summary>The runs of a dataset, newest first, from runs/{runId}/request.json and report.json.</summary>
public sealed class RunRecords(Containers containers)
{
    public async Task<IReadOnlyList<RunSummary>> ListAsync(string dataset, int top = 20, CancellationToken ct = default)
    {
        var started = new Dictionary<string, DateTimeOffset>();
        var reported = new HashSet<string>();
        await foreach (var blob in containers.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, RunState.InstancePrefix(dataset), ct))
        {
            var slash = blob.Name.IndexOf('/');
            var (runId, file) = (blob.Name[..slash], blob.Name[(slash + 1)..]);
            if (file == TrainingStarter.RequestFileName)
                started[runId] = blob.Properties.LastModified ?? default;
            else if (file == RecordRunActivity.ReportFileName)
                reported.Add(runId);
        }

        var summaries = new List<RunSummary>();
        foreach (var (runId, at) in started.OrderByDescending(r => r.Value).Take(top))
        {
            var request = await BlobJson.ReadAsync<TrainingRequest>(containers.Runs.GetBlobClient($"{runId}/{TrainingStarter.RequestFileName}"), ct);
            var report = reported.Contains(runId)
                ? (await BlobJson.ReadAsync<TrainingReport>(containers.Runs.GetBlobClient($"{runId}/{RecordRunActivity.ReportFileName}"), ct))?.Value
                : null;
            summaries.Add(new RunSummary
            {
                InstanceId = runId,
                StartedAt = at,
                Status = report?.Status ?? RunStatus.Running,
                Request = request?.Value,
                ModelVersion = report?.ModelVersion,
                CvScore = report?.CvScore,
                Error = report?.Error,
            });
        }
        return summaries;
    }
}
