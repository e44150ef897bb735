using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// GET datasets (each with its champion, last run and file count), GET datasets/{dataset}, POST datasets/{dataset}
/// (upload a file, streamed, with its spec as query parameters), POST datasets/{dataset}/retrain,
/// DELETE datasets/{dataset}?confirm={dataset}. Written against HttpContext so both hosts answer alike.
/// </summary>
public sealed class DatasetEndpoints(DatasetStore datasets, RunStore runs, ModelRegistry registry, RunStarter starter,
    TrainingSpecResolver specs, RunCancellation cancellation, IConfiguration configuration)
{
    /// <summary>The default upload limit; Api:MaxUploadBytes changes it (the Functions platform caps request bodies lower).</summary>
    public const long DefaultMaxUploadBytes = 1L << 30;

    private long MaxUploadBytes => configuration.GetValue("Api:MaxUploadBytes", DefaultMaxUploadBytes);

    public async Task ListAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var summaries = new List<DatasetSummary>();
        foreach (var name in await datasets.ListDatasetsAsync(ct))
        {
            var files = await datasets.ListFilesAsync(name, ct);
            var champion = (await registry.GetChampionAsync(name, ct))?.Pointer;
            var lastRun = (await runs.ListAsync(name, top: 1, ct)).FirstOrDefault();
            summaries.Add(new DatasetSummary(name, files.Count, files.Count > 0 ? files[^1].LastModified : null,
                champion is null ? null : new ChampionSummary(champion.Version, champion.Metric, champion.CvScore, champion.PromotedAt),
                lastRun is null ? null : lastRun with { Link = ApiRoutes.RunLink(lastRun.InstanceId) }));
        }
        await Results.Json(new DatasetList(summaries), BlobJson.Options).ExecuteAsync(http);
    }

    public async Task GetAsync(HttpContext http, string dataset)
    {
        var ct = http.RequestAborted;
        if (!await KnownAsync(http, dataset))
            return;
        await Results.Json(new DatasetDetail(dataset, await datasets.ListFilesAsync(dataset, ct), await specs.ReadSidecarAsync(dataset, ct),
            (await registry.GetChampionAsync(dataset, ct))?.Pointer,
            [.. (await runs.ListAsync(dataset, top: 10, ct)).Select(r => r with { Link = ApiRoutes.RunLink(r.InstanceId) })]), BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>
    /// The file in the body (streamed to storage, size-limited) becomes datasets/{dataset}/{file} with the spec from the
    /// query string as its metadata, and its run starts at once (the trigger or watcher then finds it started).
    /// </summary>
    public async Task UploadAsync(HttpContext http, string dataset, ITrainingRuns trainingRuns)
    {
        var ct = http.RequestAborted;
        var file = http.Request.Query["file"].ToString();
        if (!DatasetBlob.IsValidDatasetName(dataset))
        {
            await ApiProblems.InvalidDataset(http, dataset);
            return;
        }
        if (!DatasetBlob.IsValidFileName(file) || !DatasetBlob.IsDataFile(file))
        {
            await ApiProblems.Write(http, StatusCodes.Status400BadRequest, "File name required",
                "Name the file: ?file=name.csv (a .csv, .tsv or .txt name, no folders made of '.' or '..').");
            return;
        }
        Dictionary<string, string> metadata;
        try
        {
            metadata = SpecMetadata.From(SpecMetadata.Read(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())));
        }
        catch (InvalidDatasetException e)
        {
            await ApiProblems.Write(http, StatusCodes.Status400BadRequest, "Invalid training spec", e.Message);
            return;
        }
        var limit = MaxUploadBytes;
        if (http.Request.ContentLength > limit)
        {
            await TooLarge(http, limit);
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit + 1;
        try
        {
            await datasets.UploadAsync(dataset, file, new LimitedStream(http.Request.Body, limit), metadata, ct);
        }
        catch (LimitedStream.TooLongException)
        {
            await TooLarge(http, limit);
            return;
        }
        var outcome = await starter.StartAsync($"{dataset}/{file}", trainingRuns, RunReason.Upload, ct);
        await Started(http, outcome!, outcome!.Started ? "Training started." : "This data and spec were trained before: the run is the earlier one.");
    }

    /// <summary>A new run of the dataset's data files as they are, even when nothing changed (e.g. after the spec sidecar did).</summary>
    public async Task RetrainAsync(HttpContext http, string dataset, ITrainingRuns trainingRuns)
    {
        if (!await KnownAsync(http, dataset))
            return;
        if (await starter.RetrainAsync(dataset, trainingRuns, http.RequestAborted) is { } outcome)
            await Started(http, outcome, "Retraining started.");
        else
            await ApiProblems.Write(http, StatusCodes.Status409Conflict, "No data", $"Dataset '{dataset}' has no data file to train on.");
    }

    /// <summary>Deletes the dataset's data, runs (cancelling those still going) and models, when ?confirm= repeats its name.</summary>
    public async Task DeleteAsync(HttpContext http, string dataset, ITrainingRuns trainingRuns)
    {
        var ct = http.RequestAborted;
        if (!await KnownAsync(http, dataset))
            return;
        if (http.Request.Query["confirm"] != dataset)
        {
            await ApiProblems.Write(http, StatusCodes.Status400BadRequest, "Confirmation required",
                $"Deleting removes the data, every run and every model of '{dataset}': repeat its name as ?confirm={dataset}.");
            return;
        }
        foreach (var run in await runs.ListAsync(dataset, top: int.MaxValue, ct))
            if (run.Status == RunStatus.Running)
                await cancellation.CancelAsync(run.InstanceId, "The dataset was deleted.", trainingRuns, ct);
        var deleted = new DatasetDeleted(dataset, await datasets.DeleteAsync(dataset, ct), await runs.DeleteDatasetAsync(dataset, ct),
            await registry.DeleteAsync(dataset, ct));
        await Results.Json(deleted, BlobJson.Options).ExecuteAsync(http);
    }

    /// <summary>A dataset is known while its data, runs or models exist; answers 400/404 otherwise.</summary>
    private async Task<bool> KnownAsync(HttpContext http, string dataset)
    {
        if (!DatasetBlob.IsValidDatasetName(dataset))
        {
            await ApiProblems.InvalidDataset(http, dataset);
            return false;
        }
        if (await datasets.ExistsAsync(dataset, http.RequestAborted) || await registry.GetChampionAsync(dataset, http.RequestAborted) is not null)
            return true;
        await ApiProblems.Write(http, StatusCodes.Status404NotFound, "Unknown dataset",
            $"No dataset named '{dataset}'. Upload a CSV with POST /api/datasets/{dataset}?file=name.csv to create it.");
        return false;
    }

    private static Task Started(HttpContext http, StartOutcome outcome, string note) =>
        Results.Json(new RunAccepted(outcome.InstanceId, ApiRoutes.RunLink(outcome.InstanceId), outcome.Started, note),
            BlobJson.Options, statusCode: StatusCodes.Status202Accepted).ExecuteAsync(http);

    private static Task TooLarge(HttpContext http, long limit) =>
        ApiProblems.Write(http, StatusCodes.Status413PayloadTooLarge, "File too large",
            $"Uploads through the API may hold at most {limit:N0} bytes (Api__MaxUploadBytes); larger files go straight to blob storage.");
}
