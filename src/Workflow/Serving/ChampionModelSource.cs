using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Chain;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Registry;

/// <summary>
/// The chain's view of the registry: each dataset's champion loaded once and kept in memory. A background loop
/// checks the champion pointer's ETag twice a second and swaps a new champion in after it has loaded, so a
/// deployment serves within about a second and requests in flight finish on the model they started with.
/// </summary>
public sealed class ChampionModelSource : IModelSource, IAsyncDisposable
{
    static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan RetiredModelGrace = TimeSpan.FromSeconds(30);

    readonly ModelRegistry registry;
    readonly RunRecords runs;
    readonly ILogger<ChampionModelSource> logger;
    readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> entries = new();
    readonly CancellationTokenSource stopping = new();
    readonly string modelFolder = Path.Combine(Path.GetTempPath(), "serverless-models", Guid.NewGuid().ToString("N"));
    readonly Task refreshLoop;
    int disposed;

    sealed record Entry(ServedModel? Model, ETag? PointerETag);

    public ChampionModelSource(ModelRegistry registry, RunRecords runs, ILogger<ChampionModelSource> logger)
    {
        this.registry = registry;
        this.runs = runs;
        this.logger = logger;
        refreshLoop = Task.Run(RefreshLoopAsync);
    }

    public async ValueTask<ModelLookup> GetAsync(string dataset, CancellationToken ct)
    {
        if (!DatasetBlob.IsValidDatasetName(dataset))
            return ModelLookup.Unknown;
        var lazy = entries.GetOrAdd(dataset, d => new Lazy<Task<Entry>>(() => LoadAsync(d, null, stopping.Token)));
        Entry entry;
        try
        {
            entry = await lazy.Value;
        }
        finally
        {
            // Only live champions stay cached: a failed load is retried and unknown names cannot fill the cache.
            if (!lazy.Value.IsCompletedSuccessfully || lazy.Value.Result.Model is null)
                entries.TryRemove(KeyValuePair.Create(dataset, lazy));
        }
        if (entry.Model is { } model)
            return ModelLookup.Of(model);
        if (!await registry.DatasetExistsAsync(dataset, ct))
            return ModelLookup.Unknown;
        return ModelLookup.Training((await runs.ListAsync(dataset, top: 1, ct)).FirstOrDefault()?.Link);
    }

    async Task<Entry> LoadAsync(string dataset, Entry? current, CancellationToken token)
    {
        var champion = await registry.GetChampionAsync(dataset, token);
        if (champion is not { } found)
            return new Entry(null, null);
        if (current?.PointerETag == found.ETag)
            return current;
        var path = Path.Combine(modelFolder, dataset, found.Pointer.Version + ".zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var partial = path + ".tmp";
            await registry.DownloadModelAsync(found.Pointer, partial, token);
            File.Move(partial, path, overwrite: true);
        }
        var model = await Task.Run(() => TrainedModel.Load(path), token);
        logger.LogInformation("Serving {Dataset} model {Version}", dataset, found.Pointer.Version);
        return new Entry(new ServedModel(dataset, found.Pointer.Version, model), found.ETag);
    }

    async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
                foreach (var dataset in entries.Keys)
                    await RefreshAsync(dataset);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    async Task RefreshAsync(string dataset)
    {
        if (!entries.TryGetValue(dataset, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
            return;
        try
        {
            var current = lazy.Value.Result;
            var next = await LoadAsync(dataset, current, stopping.Token);
            if (ReferenceEquals(next, current))
                return;
            entries[dataset] = new Lazy<Task<Entry>>(Task.FromResult(next));
            if (current.Model is { } retired)
                _ = RetireAsync(retired.Model);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(e, "Refreshing the {Dataset} champion failed; serving the current one", dataset);
        }
    }

    /// <summary>Requests that picked up the old model a moment ago may still be predicting with it.</summary>
    async Task RetireAsync(TrainedModel model)
    {
        try { await Task.Delay(RetiredModelGrace, stopping.Token); }
        catch (OperationCanceledException) { }
        model.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as IModelSource, so the container disposes it twice.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        await stopping.CancelAsync();
        await refreshLoop;
        foreach (var lazy in entries.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                lazy.Value.Result.Model?.Model.Dispose();
        stopping.Dispose();
        if (Directory.Exists(modelFolder))
            Directory.Delete(modelFolder, recursive: true);
    }
}
