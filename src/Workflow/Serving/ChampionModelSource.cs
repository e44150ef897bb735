using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain;
using Serverless.Workflow.Api;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Serving;

/// <summary>
/// The chain's view of the registry: each dataset's champion (a model of records or a forecaster, as its package
/// says) loaded once and kept in memory. A background loop
/// checks the champion pointer's ETag twice a second and swaps a new champion in after it has loaded, so a
/// deployment serves within about a second and requests in flight finish on the model they started with.
/// </summary>
public sealed class ChampionModelSource : IModelSource, IAsyncDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RetiredModelGrace = TimeSpan.FromSeconds(30);

    private readonly ModelRegistry _registry;
    private readonly DatasetStore _datasets;
    private readonly RunStore _runs;
    private readonly ILogger<ChampionModelSource> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new();
    private readonly CancellationTokenSource _stopping = new();
    private static readonly string ModelFolders = Path.Combine(Path.GetTempPath(), "serverless-models");
    /// <summary>This process's copies of the models it serves, named after it so a later host can tell whose they are.</summary>
    private readonly string _modelFolder = Path.Combine(ModelFolders, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly Task _refreshLoop;
    private int _disposed;

    /// <summary>A dataset's champion as loaded: a model of records or a forecaster, or neither when it has none.</summary>
    private sealed record Entry(ETag? PointerETag, ServedModel? Model = null, ServedForecaster? Forecaster = null)
    {
        public ModelLookup? Found => Model is not null ? ModelLookup.Of(Model) : Forecaster is not null ? ModelLookup.Of(Forecaster) : null;
    }

    public ChampionModelSource(ModelRegistry registry, DatasetStore datasets, RunStore runs, ILogger<ChampionModelSource> logger)
    {
        _registry = registry;
        _datasets = datasets;
        _runs = runs;
        _logger = logger;
        _refreshLoop = Task.Run(RefreshLoopAsync);
        DeleteFoldersOfStoppedHosts();
    }

    /// <summary>A host killed without a clean stop leaves its model copies behind; the next host removes them.</summary>
    private void DeleteFoldersOfStoppedHosts()
    {
        if (!Directory.Exists(ModelFolders))
            return;
        foreach (var folder in Directory.EnumerateDirectories(ModelFolders))
        {
            if (Path.GetFileName(folder).Split('-')[0] is var pid && int.TryParse(pid, out var id) && IsRunning(id))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException e)
            {
                _logger.LogDebug(e, "Could not remove {Folder}", folder);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask<ModelLookup> GetAsync(string dataset, CancellationToken ct)
    {
        if (!DatasetBlob.IsValidDatasetName(dataset))
            return ModelLookup.Unknown;
        try
        {
            return await LookUpAsync(dataset, ct);
        }
        catch (Exception e) when (StorageSettings.IsUnreachable(e))
        {
            throw new ModelSourceUnavailableException("The model registry cannot be reached.", e);
        }
    }

    /// <summary>A cached champion is served without touching storage; anything else is looked up.</summary>
    private async Task<ModelLookup> LookUpAsync(string dataset, CancellationToken ct)
    {
        var lazy = _entries.GetOrAdd(dataset, d => new Lazy<Task<Entry>>(() => LoadAsync(d, null, _stopping.Token)));
        Entry entry;
        try
        {
            entry = await lazy.Value;
        }
        finally
        {
            // Only live champions stay cached: a failed load is retried and unknown names cannot fill the cache.
            if (!lazy.Value.IsCompletedSuccessfully || lazy.Value.Result.Found is null)
                _entries.TryRemove(KeyValuePair.Create(dataset, lazy));
        }
        if (entry.Found is { } found)
            return found;
        if (!await _datasets.ExistsAsync(dataset, ct))
            return ModelLookup.Unknown;
        var latest = (await _runs.ListAsync(dataset, top: 1, ct)).FirstOrDefault();
        return ModelLookup.Training(latest is null ? null : ApiRoutes.RunLink(latest.InstanceId));
    }

    private async Task<Entry> LoadAsync(string dataset, Entry? current, CancellationToken token)
    {
        var champion = await _registry.GetChampionAsync(dataset, token);
        if (champion is not { } found)
            return new Entry(null);
        if (current?.PointerETag == found.ETag)
            return current;
        var path = Path.Combine(_modelFolder, dataset, found.Pointer.Version + ".zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            var partial = path + ".tmp";
            await _registry.DownloadModelAsync(found.Pointer, partial, token);
            File.Move(partial, path, overwrite: true);
        }
        var version = found.Pointer.Version;
        var entry = await Task.Run(() => Forecaster.IsPackage(path)
            ? new Entry(found.ETag, Forecaster: new ServedForecaster(dataset, version, Forecaster.Load(path)))
            : new Entry(found.ETag, Model: new ServedModel(dataset, version, TrainedModel.Load(path))), token);
        _logger.LogInformation("Serving {Dataset} {Kind} {Version}", dataset, entry.Forecaster is null ? "model" : "forecaster", version);
        return entry;
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
                foreach (var dataset in _entries.Keys)
                    await RefreshAsync(dataset);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(string dataset)
    {
        if (!_entries.TryGetValue(dataset, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
            return;
        try
        {
            var current = lazy.Value.Result;
            var next = await LoadAsync(dataset, current, _stopping.Token);
            if (ReferenceEquals(next, current))
                return;
            _entries[dataset] = new Lazy<Task<Entry>>(Task.FromResult(next));
            if (current.Model is { } retired)
                _ = RetireAsync(retired.Model);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Refreshing the {Dataset} champion failed; serving the current one", dataset);
        }
    }

    /// <summary>Requests that picked up the old model a moment ago may still be predicting with it.</summary>
    private async Task RetireAsync(TrainedModel model)
    {
        try { await Task.Delay(RetiredModelGrace, _stopping.Token); }
        catch (OperationCanceledException) { }
        model.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as IModelSource, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        await _refreshLoop;
        foreach (var lazy in _entries.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                lazy.Value.Result.Model?.Model.Dispose();
        _stopping.Dispose();
        if (Directory.Exists(_modelFolder))
            Directory.Delete(_modelFolder, recursive: true);
    }
}
