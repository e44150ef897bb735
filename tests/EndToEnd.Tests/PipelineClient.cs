using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Serverless.EndToEnd.Tests;

/// <summary>What a user of the pipeline does: upload blobs, read run records, call the HTTP API.</summary>
internal sealed class PipelineClient(string connectionString, Uri baseAddress)
{
    private readonly BlobServiceClient _blobs = new(connectionString);
    private RunStore Store => new(new Containers(_blobs));
    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public BlobContainerClient Container(string name) => _blobs.GetBlobContainerClient(name);

    public async Task UploadAsync(string blobName, string localFile, IDictionary<string, string> metadata)
    {
        await Container(Containers.DatasetsName).CreateIfNotExistsAsync();
        await Container(Containers.DatasetsName).GetBlobClient(blobName).UploadAsync(localFile,
            new BlobUploadOptions { Metadata = metadata });
    }

    /// <summary>Run ids of a dataset, from the request records the starter keeps in the runs container.</summary>
    public async Task<IReadOnlyList<string>> RunIdsAsync(string dataset) =>
        await Container(Containers.RunsName).ExistsAsync()
            ? [.. (await Store.ListAsync(dataset)).Select(r => r.InstanceId)]
            : [];

    public async Task<string> WaitForSingleRunAsync(string dataset, TimeSpan timeout) =>
        await Eventually.GetAsync(async () => (await RunIdsAsync(dataset)) is [var id] ? id : null, timeout, $"a run of {dataset}");

    public async Task<RunState?> GetRunAsync(string runId)
    {
        var response = await Http.GetAsync($"api/runs/{runId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<RunState>(BlobJson.Options);
    }

    public async Task<RunState> WaitForRunToEndAsync(string runId, TimeSpan timeout) =>
        await Eventually.GetAsync(async () => await GetRunAsync(runId) is { IsActive: false } state ? state : null,
            timeout, $"run {runId} to end");

    public async Task<JsonElement> ModelsAsync(string dataset)
    {
        var response = await Http.GetAsync($"api/models/{dataset}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The report a run keeps, and the files left in its work folder once it has ended.</summary>
    public async Task<(TrainingReport? Report, IReadOnlyList<string> WorkFiles)> RunRecordAsync(string runId)
    {
        var files = new List<string>();
        await foreach (var (relative, _) in Store.ListWorkAsync(runId))
            files.Add(relative);
        return (await Store.ReadReportAsync(runId), files);
    }

    public Task<TrainingRequest?> RunRequestAsync(string runId) => Store.ReadRequestAsync(runId);

    public async Task<ChampionPointer?> ChampionAsync(string dataset) =>
        (await BlobJson.ReadAsync<ChampionPointer>(Container(Containers.ModelsName).GetBlobClient($"{dataset}/champion.json")))?.Value;
}

internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
                return value;
            await Task.Delay(250);
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
    }
}
