using Microsoft.AspNetCore.Http;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// GET runs (recent runs, or a dataset's with ?dataset=), GET runs/{instanceId} (progress, leaderboard, outcome),
/// POST runs/{instanceId}/cancel. Written against HttpContext so both hosts answer byte for byte alike.
/// </summary>
public sealed class RunEndpoints(RunStore store, RunWorkspace workspace)
{
    public async Task ListRunsAsync(HttpContext http)
    {
        var dataset = http.Request.Query["dataset"] is { Count: > 0 } named ? named.ToString() : null;
        if (dataset is not null && !DatasetBlob.IsValidDatasetName(dataset))
        {
            await ApiProblems.InvalidDataset(http, dataset);
            return;
        }
        var runs = (await store.ListAsync(dataset, ct: http.RequestAborted)).Select(r => r with { Link = ApiRoutes.RunLink(r.InstanceId) });
        await Results.Json(new { dataset, runs }, BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>The orchestration's state, completed by the run's records (<see cref="RunStore.StateAsync"/>).</summary>
    public async Task GetRunAsync(HttpContext http, string instanceId, ITrainingRuns runs)
    {
        var state = await store.StateAsync(instanceId, runs, http.RequestAborted);
        if (state is null)
        {
            await RunNotFound(http, instanceId);
            return;
        }
        await Results.Json(state, BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>Stops a run that is still going, releases its working files and records it as cancelled.</summary>
    public async Task CancelAsync(HttpContext http, string instanceId, ITrainingRuns runs)
    {
        var ct = http.RequestAborted;
        var state = await store.StateAsync(instanceId, runs, ct);
        if (state is null)
        {
            await RunNotFound(http, instanceId);
            return;
        }
        if (!state.IsActive)
        {
            await RunEnded(http, state);
            return;
        }
        await runs.TerminateAsync(instanceId, CancelledReason, ct);
        state = await WhenEndedAsync(instanceId, runs, ct);
        if (state.IsActive)
        {
            // The engine has not processed the termination yet; it will.
            await Results.Json(state, BlobJson.Options, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(http);
            return;
        }
        if (state.RuntimeStatus != RuntimeStatus.Terminated)
        {
            await RunEnded(http, state);
            return;
        }
        if (state.Report is null)
        {
            var request = await store.ReadRequestAsync(instanceId, ct);
            await store.WriteReportAsync(instanceId, new TrainingReport
            {
                Status = RunStatus.Cancelled, Dataset = request?.Dataset ?? "", BlobName = request?.BlobName ?? "", Error = CancelledReason,
            }, ct);
            await workspace.ReleaseAsync(instanceId, ct);
        }
        await Results.Json(await store.StateAsync(instanceId, runs, ct), BlobJson.Options).ExecuteAsync(http);
    }

    private const string CancelledReason = "Cancelled by an operator.";

    private static Task RunEnded(HttpContext http, RunState state) =>
        ApiProblems.Write(http, StatusCodes.Status409Conflict, "Run already ended",
            $"Run '{state.InstanceId}' has ended ({state.Report?.Status.ToString().ToLowerInvariant() ?? state.RuntimeStatus.ToString()}).");

    /// <summary>Termination is a message the orchestration processes: wait (briefly) until it has.</summary>
    private async Task<RunState> WhenEndedAsync(string instanceId, ITrainingRuns runs, CancellationToken ct)
    {
        for (var waited = TimeSpan.Zero; ; waited += TerminationPoll)
        {
            var state = await store.StateAsync(instanceId, runs, ct);
            if (state is null || !state.IsActive || waited >= TerminationWait)
                return state ?? throw new InvalidOperationException($"Run {instanceId} disappeared while being cancelled.");
            await Task.Delay(TerminationPoll, ct);
        }
    }

    private static readonly TimeSpan TerminationPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TerminationWait = TimeSpan.FromSeconds(30);

    private static Task RunNotFound(HttpContext http, string instanceId) =>
        ApiProblems.Write(http, StatusCodes.Status404NotFound, "Run not found", NoSuchRun(instanceId));

    /// <summary>What every surface (HTTP, agent tools) says of a run id nobody knows.</summary>
    public static string NoSuchRun(string instanceId) => $"No training run has the id '{instanceId}'.";
}
