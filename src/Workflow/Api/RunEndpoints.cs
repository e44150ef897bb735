using Microsoft.AspNetCore.Http;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// GET runs (recent runs, or a dataset's with ?dataset=), GET runs/{instanceId} (progress, leaderboard, outcome),
/// POST runs/{instanceId}/cancel. Written against HttpContext so both hosts answer byte for byte alike.
/// </summary>
public sealed class RunEndpoints(RunStore store, RunCancellation cancellation)
{
    private const string CancelledReason = "Cancelled by an operator.";

    public async Task ListRunsAsync(HttpContext http)
    {
        var dataset = http.Request.Query["dataset"] is { Count: > 0 } named ? named.ToString() : null;
        if (dataset is not null && !DatasetBlob.IsValidDatasetName(dataset))
        {
            await ApiProblems.InvalidDataset(http, dataset);
            return;
        }
        var runs = (await store.ListAsync(dataset, ct: http.RequestAborted)).Select(r => r with { Link = ApiRoutes.RunLink(r.InstanceId) });
        await Results.Json(new RunList(dataset, [.. runs]), BlobJson.Options).ExecuteAsync(http);
    }

    public async Task GetRunAsync(HttpContext http, string instanceId, ITrainingRuns runs)
    {
        if (await cancellation.StateAsync(instanceId, runs, http.RequestAborted) is { } state)
            await Results.Json(state, BlobJson.Options).ExecuteAsync(http);
        // Claimed (the runs listing shows it) but not scheduled yet: pending, not unknown.
        else if (await store.ReadRequestAsync(instanceId, http.RequestAborted) is not null)
            await Results.Json(new RunState { InstanceId = instanceId, RuntimeStatus = RuntimeStatus.Pending }, BlobJson.Options).ExecuteAsync(http);
        else
            await RunNotFound(http, instanceId);
    }

    /// <summary>Stops a run that is still going, releases its working files and records it as cancelled.</summary>
    public async Task CancelAsync(HttpContext http, string instanceId, ITrainingRuns runs)
    {
        var (outcome, state) = await cancellation.CancelAsync(instanceId, CancelledReason, runs, http.RequestAborted);
        await (outcome switch
        {
            CancelOutcome.Cancelled => Results.Json(state, BlobJson.Options).ExecuteAsync(http),
            CancelOutcome.Stopping => Results.Json(state, BlobJson.Options, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(http),
            CancelOutcome.AlreadyEnded => ApiProblems.Write(http, StatusCodes.Status409Conflict, "Run already ended",
                $"Run '{instanceId}' has ended ({state!.Report?.Status.ToString().ToLowerInvariant() ?? state.RuntimeStatus.ToString()})."),
            _ => RunNotFound(http, instanceId),
        });
    }

    private static Task RunNotFound(HttpContext http, string instanceId) =>
        ApiProblems.Write(http, StatusCodes.Status404NotFound, "Run not found", NoSuchRun(instanceId));

    /// <summary>What every surface (HTTP, agent tools) says of a run id nobody knows.</summary>
    public static string NoSuchRun(string instanceId) => $"No training run has the id '{instanceId}'.";
}
