using Microsoft.Extensions.Configuration;

namespace Serverless.Workflow.Runs;

/// <summary>
/// The engine works on a local folder; activities of one run may land on different machines. This keeps the
/// folder and the run's work files in the runs container in step: fetch what is missing before a step, upload what
/// the step wrote. The engine writes files atomically (temporary name, then rename), so "*.tmp" files are never shipped.
/// </summary>
public sealed class RunWorkspace(RunStore store, IConfiguration configuration)
{
    /// <summary>The one work file kept after a run: what the data looked like.</summary>
    private const string ProfileFile = "profile.json";

    private readonly string _root = configuration["AutoMl:WorkDirectory"] is { Length: > 0 } configured
        ? configured
        : Path.Combine(Path.GetTempPath(), "serverless-automl");

    private string LocalPath(string runId) => Path.Combine(_root, runId);

    /// <summary>Runs <paramref name="step"/> in the run's folder, with every file of the run present before and shared after.</summary>
    public async Task<T> RunAsync<T>(string runId, Func<string, T> step, CancellationToken ct = default)
    {
        var folder = Directory.CreateDirectory(LocalPath(runId)).FullName;
        await DownloadMissingAsync(runId, folder, ct);
        var before = Snapshot(folder);
        var result = await Task.Run(() => step(folder), ct);
        await UploadChangedAsync(runId, folder, before, ct);
        return result;
    }

    /// <summary>
    /// Deletes the run's local folder and its work files in storage but the profile: once a run has ended, its
    /// prepared data and trial files are no longer needed (the model is in the registry).
    /// </summary>
    public async Task ReleaseAsync(string runId, CancellationToken ct = default)
    {
        var folder = LocalPath(runId);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        await foreach (var (relative, blob) in store.ListWorkAsync(runId, ct))
            if (relative != ProfileFile)
                await store.WorkBlob(runId, relative).DeleteIfExistsAsync(cancellationToken: ct);
    }

    private async Task DownloadMissingAsync(string runId, string folder, CancellationToken ct)
    {
        await foreach (var (relative, blob) in store.ListWorkAsync(runId, ct))
        {
            var local = Path.Combine(folder, relative);
            if (File.Exists(local) && new FileInfo(local).Length == blob.Properties.ContentLength)
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var partial = local + $".{Guid.NewGuid():N}.tmp";
            await store.WorkBlob(runId, relative).DownloadToAsync(partial, ct);
            File.Move(partial, local, overwrite: true);
        }
    }

    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => new FileInfo(f))
            .ToDictionary(f => f.FullName, f => (f.Length, f.LastWriteTimeUtc));

    private async Task UploadChangedAsync(string runId, string folder, Dictionary<string, (long, DateTime)> before, CancellationToken ct)
    {
        foreach (var (path, state) in Snapshot(folder))
        {
            if (before.TryGetValue(path, out var old) && old == state)
                continue;
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            await store.WorkBlob(runId, relative).UploadAsync(path, overwrite: true, ct);
        }
    }
}
