using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Training;

/// <summary>
/// The engine works on a local folder; activities of one run may land on different machines. This keeps the
/// folder and <c>runs/{runId}/work/</c> in step: fetch what is missing before a step, upload what the step wrote.
/// The engine writes files atomically (temporary name, then rename), so "*.tmp" files are never shipped.
/// </summary>
public sealed class RunWorkspace(Containers containers, IConfiguration configuration)
{
    readonly string root = configuration["AutoMl:WorkDirectory"] is { Length: > 0 } configured
        ? configured
        : Path.Combine(Path.GetTempPath(), "serverless-automl");

    string LocalPath(string runId) => Path.Combine(root, runId);

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
    /// After a run has ended its prepared data and trial files are no longer needed: the model is in the registry.
    /// The profile stays, next to the run's request and report.
    /// </summary>
    public async Task ReleaseAsync(string runId, CancellationToken ct = default)
    {
        DeleteLocal(runId);
        await foreach (var blob in containers.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix(runId), ct))
            if (!blob.Name.EndsWith("/profile.json", StringComparison.Ordinal))
                await containers.Runs.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
    }

    void DeleteLocal(string runId)
    {
        var folder = LocalPath(runId);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    static string Prefix(string runId) => $"{runId}/work/";

    async Task DownloadMissingAsync(string runId, string folder, CancellationToken ct)
    {
        await foreach (var blob in containers.Runs.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix(runId), ct))
        {
            var relative = blob.Name[Prefix(runId).Length..];
            var local = Path.Combine(folder, relative);
            if (File.Exists(local) && new FileInfo(local).Length == blob.Properties.ContentLength)
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            var partial = local + $".{Guid.NewGuid():N}.tmp";
            await containers.Runs.GetBlobClient(blob.Name).DownloadToAsync(partial, ct);
            File.Move(partial, local, overwrite: true);
        }
    }

    static Dictionary<string, (long Length, DateTime Written)> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => new FileInfo(f))
            .ToDictionary(f => f.FullName, f => (f.Length, f.LastWriteTimeUtc));

    async Task UploadChangedAsync(string runId, string folder, Dictionary<string, (long, DateTime)> before, CancellationToken ct)
    {
        foreach (var (path, state) in Snapshot(folder))
        {
            if (before.TryGetValue(path, out var old) && old == state)
                continue;
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            BlobClient blob = containers.Runs.GetBlobClient(Prefix(runId) + relative);
            await blob.UploadAsync(path, overwrite: true, ct);
        }
    }
}
