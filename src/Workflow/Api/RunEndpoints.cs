using Microsoft.AspNetCore.Http;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// GET runs/{instanceId} (progress, leaderboard, outcome), GET runs?dataset= (a dataset's runs, newest first),
/// GET models/{dataset} (champion and versions), POST models/{dataset}/rollback.
/// Written against HttpContext so the Functions host and the local host answer byte for byte alike.
/// </summary>
public sealed class RunEndpoints(ModelRegistry registry, RunStore store)
{
    public async Task ListRunsAsync(HttpContext http)
    {
        var dataset = http.Request.Query["dataset"].ToString();
        if (!DatasetBlob.IsValidDatasetName(dataset))
        {
            await Problem(http, StatusCodes.Status400BadRequest, "Dataset required", "Name the dataset: /api/runs?dataset={dataset}.");
            return;
        }
        var runs = (await store.ListAsync(dataset, ct: http.RequestAborted)).Select(r => r with { Link = ApiRoutes.RunLink(r.InstanceId) });
        await Results.Json(new { dataset, runs }, BlobJson.Options).ExecuteAsync(http);
    }

    public async Task GetRunAsync(HttpContext http, string instanceId, ITrainingRuns runs)
    {
        var state = await runs.GetAsync(instanceId, http.RequestAborted);
        if (state is null)
        {
            await Problem(http, StatusCodes.Status404NotFound, "Run not found", $"No training run has the id '{instanceId}'.");
            return;
        }
        await Results.Json(state, BlobJson.Options).ExecuteAsync(http);
    }

    public async Task GetModelsAsync(HttpContext http, string dataset)
    {
        var champion = await registry.GetChampionAsync(dataset, http.RequestAborted);
        var versions = await registry.ListVersionsAsync(dataset, http.RequestAborted);
        if (champion is null && versions.Count == 0)
        {
            await Problem(http, StatusCodes.Status404NotFound, "No models", $"Dataset '{dataset}' has no deployed model.");
            return;
        }
        await Results.Json(new { dataset, champion = champion?.Pointer, versions }, BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>POST models/{dataset}/rollback: the previous version becomes the champion again (served within a second).</summary>
    public async Task RollbackAsync(HttpContext http, string dataset)
    {
        if (await registry.RollbackAsync(dataset, http.RequestAborted) is { } restored)
        {
            await Results.Json(new { dataset, champion = restored }, BlobJson.Options).ExecuteAsync(http);
            return;
        }
        var champion = await registry.GetChampionAsync(dataset, http.RequestAborted);
        await (champion is null
            ? Problem(http, StatusCodes.Status404NotFound, "No models", $"Dataset '{dataset}' has no deployed model.")
            : Problem(http, StatusCodes.Status409Conflict, "Nothing to roll back to", $"Champion {champion.Value.Pointer.Version} has no previous version."));
    }

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);
}
