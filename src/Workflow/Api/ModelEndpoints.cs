using Microsoft.AspNetCore.Http;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// GET models/{dataset} (champion and versions), POST models/{dataset}/rollback, POST models/{dataset}/versions/{version}/promote,
/// GET models/{dataset}/versions/{version}/model.zip. Written against HttpContext so both hosts answer alike.
/// </summary>
public sealed class ModelEndpoints(ModelRegistry registry)
{
    /// <summary>Query parameter of rollback and promote: act only if this version is still the champion.</summary>
    public const string ExpectedChampionParameter = "champion";

    public async Task GetModelsAsync(HttpContext http, string dataset)
    {
        var champion = await registry.GetChampionAsync(dataset, http.RequestAborted);
        var versions = await registry.ListVersionsAsync(dataset, http.RequestAborted);
        if (champion is null && versions.Count == 0)
        {
            await ApiProblems.NoModels(http, dataset);
            return;
        }
        await Results.Json(new ModelList(dataset, champion?.Pointer, versions), BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>The previous champion is live again (served within a second); the one rolled back is forgotten.</summary>
    public async Task RollbackAsync(HttpContext http, string dataset) =>
        await Answer(http, dataset, await registry.RollbackAsync(dataset, ExpectedChampion(http), http.RequestAborted));

    /// <summary>Any deployed version becomes the champion; a rollback afterwards undoes it.</summary>
    public async Task PromoteAsync(HttpContext http, string dataset, string version) =>
        await Answer(http, dataset, await registry.PromoteAsync(dataset, version, ExpectedChampion(http), http.RequestAborted));

    /// <summary>A version's model package, to score offline (<c>cli predict --model model.zip</c>).</summary>
    public async Task DownloadAsync(HttpContext http, string dataset, string version)
    {
        var blob = registry.ModelBlob(dataset, version);
        if (!await blob.ExistsAsync(http.RequestAborted))
        {
            await ApiProblems.Write(http, StatusCodes.Status404NotFound, "No such version", $"Dataset '{dataset}' has no model version '{version}'.");
            return;
        }
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{dataset}-{version}.zip\"";
        await blob.DownloadToAsync(http.Response.Body, http.RequestAborted);
    }

    private static string? ExpectedChampion(HttpContext http) =>
        http.Request.Query[ExpectedChampionParameter] is { Count: > 0 } value ? value.ToString() : null;

    private static Task Answer(HttpContext http, string dataset, ChampionChange change) => change switch
    {
        ChampionChange.Changed changed => Results.Json(new ChampionChanged(dataset, changed.Champion), BlobJson.Options).ExecuteAsync(http),
        ChampionChange.NoModels => ApiProblems.NoModels(http, dataset),
        ChampionChange.UnknownVersion unknown => ApiProblems.Write(http, StatusCodes.Status404NotFound, "No such version",
            $"Dataset '{dataset}' has no model version '{unknown.Version}'."),
        ChampionChange.NothingToRollBackTo nothing => ApiProblems.Write(http, StatusCodes.Status409Conflict, "Nothing to roll back to",
            $"Champion {nothing.Champion.Version} has no earlier version to go back to."),
        ChampionChange.Conflict conflict => ApiProblems.Write(http, StatusCodes.Status409Conflict, "The champion changed",
            $"The champion is now {conflict.Champion?.Version ?? "none"}; the change was not made. Look at GET /api/models/{dataset} and try again."),
        _ => throw new InvalidOperationException($"Unhandled change {change}"),
    };
}
