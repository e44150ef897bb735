using System.Net;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Serverless.AutoMl;
using Serverless.LocalHost;
using Serverless.Tests.Shared;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Training;

namespace Serverless.DurableBench;

/// <summary>
/// The durable path as ./run.sh runs it: the repo's Azurite and local-host workers (separate processes) on one task
/// hub. Worker 0 starts first, so it owns the task hub's partition and runs the orchestrations.
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    private const string TaskHub = "bench";
    private readonly string _folder = Directory.CreateTempSubdirectory("durable-bench-").FullName;
    private readonly List<LocalHostProcess> _workers = [];
    private readonly AzuriteProcess _azurite;
    private readonly Containers _containers;

    private LocalCluster(AzuriteProcess azurite)
    {
        _azurite = azurite;
        _containers = new Containers(new BlobServiceClient(azurite.ConnectionString));
    }

    public IReadOnlyList<LocalHostProcess> Workers => _workers;

    public static async Task<LocalCluster> StartAsync(int workers, int slotsPerWorker)
    {
        var cluster = new LocalCluster(await AzuriteProcess.StartAsync());
        await cluster._containers.EnsureCreatedAsync();
        // The host's own timers, as run.sh starts it, not the tests' quick ones.
        var settings = new HostSettings(cluster._azurite.ConnectionString, TaskHub, cluster._folder)
        {
            Workers = workers, SlotsPerWorker = slotsPerWorker, QuickTimers = false,
        };
        for (var i = 0; i < workers; i++)
            cluster._workers.Add(await LocalHostProcess.StartAsync(settings with { WorkerId = $"worker-{i}" }));
        return cluster;
    }

    /// <summary>Uploads a CSV the way a user does; the blob watcher starts its run.</summary>
    public async Task UploadAsync(string dataset, string csv, TrainingSpec spec) =>
        await _containers.Datasets.GetBlobClient($"{dataset}/{Path.GetFileName(csv)}")
            .UploadAsync(csv, new BlobUploadOptions { Metadata = SpecMetadata.From(new DatasetSpec { Training = spec }) });

    public async Task<string> WaitForRunIdAsync(string dataset)
    {
        var store = new RunStore(_containers);
        while (true)
        {
            if ((await store.ListAsync(dataset)).FirstOrDefault() is { } run)
                return run.InstanceId;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Starts a run that replays <paramref name="proposals"/>, through the DTFx client. Its data goes to a blob name the
    /// blob watcher ignores (not .csv), so no search of the tuner's starts beside it.
    /// </summary>
    public async Task<string> StartFixedRunAsync(string dataset, string csv, TrainingSpec spec, IReadOnlyList<TrialConfig> proposals)
    {
        var blob = _containers.Datasets.GetBlobClient($"{dataset}/data.fixed");
        await blob.UploadAsync(csv, overwrite: true);
        var properties = (await blob.GetPropertiesAsync()).Value;
        var file = new SourceFile
        {
            Name = "data.fixed", ETag = properties.ETag.ToString(), Bytes = properties.ContentLength, LastModified = properties.LastModified,
            ContentHash = await new DatasetStore(_containers).ContentHashAsync(blob.Name, properties),
        };
        var request = new TrainingRequest
        {
            Dataset = dataset, BlobName = blob.Name, Files = [file], DataHash = file.ContentHash, DataLastModified = file.LastModified,
            Spec = spec, Reason = RunReason.Manual,
        };
        var instanceId = RunStore.InstanceIdFor(request);
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(_azurite.ConnectionString), TaskHubName = TaskHub,
        });
        await new TaskHubClient(service, DurableTaskEngine.Converter)
            .CreateOrchestrationInstanceAsync(WorkflowNames.TrainModel, "", instanceId, new TrainModelInput(request) { Proposals = proposals });
        return instanceId;
    }

    /// <summary>The run as the runs API of <paramref name="worker"/> shows it, or null before it exists.</summary>
    public async Task<RunState?> GetRunAsync(string runId, int worker = 0)
    {
        using var http = new HttpClient { BaseAddress = _workers[worker].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.GetAsync($"api/runs/{runId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<RunState>(BlobJson.Options);
    }

    public async Task<ChampionPointer?> ChampionAsync(string dataset) =>
        (await BlobJson.ReadAsync<ChampionPointer>(_containers.Models.GetBlobClient($"{dataset}/champion.json")))?.Value;

    public async Task<string> DownloadModelAsync(ChampionPointer champion)
    {
        var path = Path.Combine(_folder, $"{champion.Version}.zip");
        await _containers.Models.GetBlobClient(champion.ModelBlob).DownloadToAsync(path);
        return path;
    }

    /// <summary>CPU time the workers and Azurite have used so far.</summary>
    public TimeSpan ProcessorTime => AzuriteProcessorTime + HostsProcessorTime;

    public TimeSpan AzuriteProcessorTime => _azurite.ProcessorTime;

    public TimeSpan HostsProcessorTime => _workers.Aggregate(TimeSpan.Zero, (sum, worker) => sum + worker.ProcessorTime);

    public void Kill(int worker) => _workers[worker].Kill();

    public void Dispose()
    {
        foreach (var worker in Enumerable.Reverse(_workers))
            worker.Dispose();
        _azurite.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
