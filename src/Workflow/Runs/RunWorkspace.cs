using System.Collections.Concurrent;
using System.IO.Compression;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;

namespace Serverless.Workflow.Runs;

/// <summary>
/// The engine works on a local folder; a run's steps may land on different workers. Before a step this fetches, into
/// the worker's copy of the run's folder, exactly the files the engine says the step reads and the copy lacks; after
/// it, it stores what the step wrote: Prepare's files one blob each, a bundle of trials' outputs as one blob
/// (<see cref="TrialBundles"/>). Nothing lists the work folder but the cleanup at the end of a run. Each worker drops
/// its copy once the run has ended or the copy has gone unused for a while (<see cref="SweepAsync"/>).
/// </summary>
public sealed class RunWorkspace(RunStore store, AutoMlEngine engine, Cluster cluster, IConfiguration configuration, TimeProvider time, ILogger<RunWorkspace> logger)
{
    /// <summary>A copy unused this long is deleted even while its run goes on (it is fetched again if needed).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>Steps sweep at most this often; the local host also sweeps on a timer.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private const int ParallelTransfers = 8;

    /// <summary>One folder per worker, so that workers sharing a machine never share (or sweep) each other's copies.</summary>
    private readonly string _root = Path.Combine(
        configuration["AutoMl:WorkDirectory"] is { Length: > 0 } configured ? configured : Path.Combine(Path.GetTempPath(), "serverless-automl"),
        cluster.WorkerName);

    private readonly ConcurrentDictionary<string, LocalCopy> _copies = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> _downloads = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>Runs Prepare in the run's folder and stores the files it declares.</summary>
    public Task<DatasetProfile> PrepareAsync(string runId, Func<string, DatasetProfile> prepare, CancellationToken ct = default) =>
        RunStepAsync(runId, [], prepare, profile => engine.PrepareFiles(profile).Writes, ct);

    /// <summary>
    /// Runs a step with the files it reads present, then stores the files it says it wrote, one blob each (a file it
    /// did not write, such as a failed candidate's forecasts, is passed over). The forecasting steps run this way: their
    /// outputs are one small file per activity, so they need no bundles.
    /// </summary>
    public async Task<T> RunStepAsync<T>(string runId, IReadOnlyList<WorkFile> reads, Func<string, T> step,
        Func<T, IEnumerable<WorkFile>> writes, CancellationToken ct = default)
    {
        using var copy = await UseAsync(runId, ct);
        await FetchAsync(runId, copy, reads, bundles: null, ct);
        var result = await OnPoolThread(() => step(copy.Folder), ct);
        var written = writes(result).Where(file => File.Exists(copy.PathOf(file))).ToList();
        await Parallel.ForEachAsync(written, Transfers(ct), async (file, c) =>
            await store.WorkBlob(runId, file.Path).UploadAsync(copy.PathOf(file), overwrite: true, c));
        // A run cancelled while the step ran was released already (its report is written first): these files go too.
        if (written.Count > 0 && await store.HasReportAsync(runId, ct))
            await Parallel.ForEachAsync(written, Transfers(ct), async (file, c) =>
                await store.WorkBlob(runId, file.Path).DeleteIfExistsAsync(cancellationToken: c));
        return result;
    }

    /// <summary>Runs a bundle of trials with the files they read present, then stores their outputs as the bundle's blob.</summary>
    public async Task<IReadOnlyList<TrialResult>> RunTrialsAsync(string runId, IReadOnlyList<TrialConfig> trials,
        Func<string, IReadOnlyList<TrialResult>> run, CancellationToken ct = default)
    {
        using var copy = await UseAsync(runId, ct);
        var files = engine.TrialFiles(await ProfileAsync(runId, copy, ct), trials);
        await FetchAsync(runId, copy, files.Reads, bundles: null, ct);
        var results = await OnPoolThread(() => run(copy.Folder), ct);
        var bundle = TrialBundles.BlobName(trials[0].Id);
        await StoreBundleAsync(runId, copy, bundle, files.Writes, ct);
        // A run cancelled while its trials ran was released already (its report is written first): this bundle goes too.
        if (await store.HasReportAsync(runId, ct))
            await store.WorkBlob(runId, bundle).DeleteIfExistsAsync(cancellationToken: ct);
        return results;
    }

    /// <summary>Runs Finish with the prepared data and the outputs of the trials it may use present.</summary>
    public async Task<T> FinishAsync<T>(string runId, IReadOnlyList<TrialResult> trials, TrialBundles bundles,
        Func<string, T> finish, CancellationToken ct = default)
    {
        using var copy = await UseAsync(runId, ct);
        await FetchAsync(runId, copy, engine.FinishFiles(await ProfileAsync(runId, copy, ct), trials).Reads, bundles, ct);
        return await OnPoolThread(() => finish(copy.Folder), ct);
    }

    /// <summary>
    /// Once a run has ended: deletes its work files in storage but the profile (what the data looked like), listing
    /// them once, and this worker's copy. Other workers drop theirs when they next sweep.
    /// </summary>
    public async Task ReleaseAsync(string runId, CancellationToken ct = default)
    {
        DeleteCopy(runId);
        var files = new List<string>();
        await foreach (var (relative, _) in store.ListWorkAsync(runId, ct))
            if (relative != AutoMlEngine.ProfileFile.Path)
                files.Add(relative);
        await Parallel.ForEachAsync(files, Transfers(ct), async (file, c) =>
            await store.WorkBlob(runId, file).DeleteIfExistsAsync(cancellationToken: c));
    }

    /// <summary>Deletes this worker's copies of runs that have ended (their report exists) or that went unused for <see cref="StaleAfter"/>.</summary>
    public async Task SweepAsync(CancellationToken ct = default)
    {
        _lastSweep = time.GetUtcNow();
        if (!Directory.Exists(_root))
            return;
        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            var runId = Path.GetFileName(folder);
            var copy = _copies.GetValueOrDefault(runId);
            var lastUsed = copy?.LastUsed ?? new DateTimeOffset(Directory.GetLastWriteTimeUtc(folder));
            if (copy is { InUse: true })
                continue;
            if (time.GetUtcNow() - lastUsed > StaleAfter || await store.HasReportAsync(runId, ct))
                DeleteCopy(runId);
        }
    }

    private async Task<LocalCopy.Use> UseAsync(string runId, CancellationToken ct)
    {
        if (time.GetUtcNow() - _lastSweep > SweepInterval)
            await SweepAsync(ct);
        return _copies.GetOrAdd(runId, id => new LocalCopy(Path.Combine(_root, id), time)).Open();
    }

    private void DeleteCopy(string runId)
    {
        var copy = _copies.GetOrAdd(runId, id => new LocalCopy(Path.Combine(_root, id), time));
        if (copy.TryDelete())
            logger.LogInformation("Deleted this worker's copy of run {RunId}", runId);
    }

    private async Task<DatasetProfile> ProfileAsync(string runId, LocalCopy.Use copy, CancellationToken ct)
    {
        await FetchAsync(runId, copy, [AutoMlEngine.ProfileFile], bundles: null, ct);
        return engine.ReadProfile(copy.Folder);
    }

    /// <summary>
    /// Downloads the files the copy lacks: shared files from their own blobs, trial outputs from their bundles' blobs.
    /// Concurrent steps on this worker download a blob once. Files are written under a temporary name, then renamed,
    /// so a file that exists is whole.
    /// </summary>
    private async Task FetchAsync(string runId, LocalCopy.Use copy, IEnumerable<WorkFile> files, TrialBundles? bundles, CancellationToken ct)
    {
        var missing = files.Where(f => !File.Exists(copy.PathOf(f))).ToList();
        var downloads = missing.Where(f => f.TrialId is null)
            .Select(f => (Blob: f.Path, Download: (Func<CancellationToken, Task>)(c => DownloadFileAsync(runId, copy, f, c))))
            .Concat(missing.Where(f => f.TrialId is not null)
                .GroupBy(f => (bundles ?? throw new InvalidOperationException("Trial outputs are fetched through their bundles.")).BlobOf(f.TrialId!.Value))
                .Select(g => (Blob: g.Key, Download: (Func<CancellationToken, Task>)(c => DownloadFromBundleAsync(runId, copy, g.Key, [.. g], c)))));
        await Parallel.ForEachAsync(downloads, Transfers(ct), async (download, c) =>
        {
            var key = copy.Folder + "|" + download.Blob;
            var shared = _downloads.GetOrAdd(key, _ => new Lazy<Task>(() => download.Download(c)));
            try
            {
                await shared.Value;
            }
            finally
            {
                _downloads.TryRemove(KeyValuePair.Create(key, shared));
            }
        });
    }

    private async Task DownloadFileAsync(string runId, LocalCopy.Use copy, WorkFile file, CancellationToken ct)
    {
        var partial = Partial(copy.PathOf(file));
        await store.WorkBlob(runId, file.Path).DownloadToAsync(partial, ct);
        File.Move(partial, copy.PathOf(file), overwrite: true);
    }

    private async Task DownloadFromBundleAsync(string runId, LocalCopy.Use copy, string blob, IReadOnlyList<WorkFile> files, CancellationToken ct)
    {
        try
        {
            using var content = (await store.WorkBlob(runId, blob).DownloadStreamingAsync(cancellationToken: ct)).Value.Content;
            using var archive = new ZipArchive(content, ZipArchiveMode.Read);
            foreach (var file in files)
            {
                if (archive.GetEntry(file.Path) is not { } entry || File.Exists(copy.PathOf(file)))
                    continue;
                var partial = Partial(copy.PathOf(file));
                entry.ExtractToFile(partial);
                File.Move(partial, copy.PathOf(file), overwrite: true);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Finish leaves out trials whose outputs are missing; a bundle that was never stored loses its trials.
            logger.LogWarning("Run {RunId}: {Blob} is missing, so trials {Trials} cannot be used", runId, blob,
                string.Join(", ", files.Select(f => f.TrialId).Distinct()));
        }
    }

    /// <summary>A temporary name next to <paramref name="target"/> (its folder created), to rename to it once written.</summary>
    private static string Partial(string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return $"{target}.{Guid.NewGuid():N}.tmp";
    }

    /// <summary>Zips the outputs the trials left (a failed trial leaves none) into one blob.</summary>
    private async Task StoreBundleAsync(string runId, LocalCopy.Use copy, string blob, IReadOnlyList<WorkFile> outputs, CancellationToken ct)
    {
        var present = outputs.Where(f => File.Exists(copy.PathOf(f))).ToList();
        if (present.Count == 0)
            return;
        var zip = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.zip.tmp");
        try
        {
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
                foreach (var file in present)
                    archive.CreateEntryFromFile(copy.PathOf(file), file.Path, CompressionLevel.Fastest);
            await store.WorkBlob(runId, blob).UploadAsync(zip, overwrite: true, ct);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>
    /// Runs an engine step on a pool thread, as the CLI does. Learners split their work into tasks they wait for at
    /// once (FastTree per tree node); a pool thread runs the ones it queued itself when it waits, where a thread of its
    /// own hands each to a pool worker and both spin while they wait: measured, trials cost 2-3× the CPU that way.
    /// The pool's minimum stays at its default (the cores), as in the CLI: raised by the slots, the learners' tasks
    /// fanned out over more threads and a trial cost 1.13-1.29× its in-process CPU instead of 0.95-0.98×, and the
    /// host's polling and HTTP still get threads without it (end-to-end tests).
    /// </summary>
    private static Task<T> OnPoolThread<T>(Func<T> step, CancellationToken ct) => Task.Run(step, ct);

    private static ParallelOptions Transfers(CancellationToken ct) => new() { MaxDegreeOfParallelism = ParallelTransfers, CancellationToken = ct };

    /// <summary>This worker's copy of a run's folder: whether a step uses it, and when one last did.</summary>
    private sealed class LocalCopy(string folder, TimeProvider time)
    {
        private readonly Lock _lock = new();
        private int _users;

        public DateTimeOffset? LastUsed { get; private set; }

        public bool InUse
        {
            get { lock (_lock) return _users > 0; }
        }

        public Use Open()
        {
            lock (_lock)
            {
                _users++;
                LastUsed = time.GetUtcNow();
                return new Use(this, Directory.CreateDirectory(folder).FullName);
            }
        }

        /// <summary>Deletes the folder unless a step is using it.</summary>
        public bool TryDelete()
        {
            lock (_lock)
            {
                if (_users > 0 || !Directory.Exists(folder))
                    return false;
                Directory.Delete(folder, recursive: true);
                return true;
            }
        }

        private void Close()
        {
            lock (_lock)
            {
                _users--;
                LastUsed = time.GetUtcNow();
            }
        }

        public sealed class Use(LocalCopy copy, string folder) : IDisposable
        {
            public string Folder { get; } = folder;

            public string PathOf(WorkFile file) => Path.Combine(Folder, file.Path);

            public void Dispose() => copy.Close();
        }
    }
}
