using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Polly;
using Polly.Retry;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// The datasets container: uploads at <c>{dataset}/{file}</c> (see <see cref="DatasetBlob"/> for which are training
/// data) and each dataset's optional spec sidecar <c>{dataset}/automl.json</c>.
/// </summary>
public sealed class DatasetStore(Containers containers)
{
    /// <summary>Runs a read of a blob's exact version again (twice at most, at once) when the blob changed under it (HTTP 412).</summary>
    private static readonly ResiliencePipeline OnBlobChanged = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RequestFailedException>(e => e.Status == 412),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.Zero,
        })
        .Build();

    public BlobClient Blob(string blobName) => containers.Datasets.GetBlobClient(blobName);

    public BlobClient Sidecar(string dataset) => containers.Datasets.GetBlobClient($"{dataset}/{DatasetBlob.SpecFileName}");

    /// <summary>A dataset exists while its folder holds any blob.</summary>
    public async Task<bool> ExistsAsync(string dataset, CancellationToken ct = default)
    {
        await foreach (var _ in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, dataset + "/", ct))
            return true;
        return false;
    }

    /// <summary>The names of the dataset folders (valid dataset names only).</summary>
    public async Task<IReadOnlyList<string>> ListDatasetsAsync(CancellationToken ct = default)
    {
        var names = new List<string>();
        await foreach (var item in containers.Datasets.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, ct))
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var name && DatasetBlob.IsValidDatasetName(name))
                names.Add(name);
        return names;
    }

    /// <summary>A dataset's training-data files as they are now (named inside the dataset's folder), oldest first.</summary>
    public async Task<IReadOnlyList<SourceFile>> ListFilesAsync(string dataset, CancellationToken ct = default)
    {
        var files = new List<SourceFile>();
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, dataset + "/", ct))
            if (DatasetBlob.Parse(blob.Name, out _) is { } parsed)
                files.Add(new SourceFile
                {
                    Name = parsed.File, ETag = blob.Properties.ETag?.ToString() ?? "", Bytes = blob.Properties.ContentLength ?? 0,
                    ContentHash = KnownContentHash(blob.Properties.ContentHash), LastModified = blob.Properties.LastModified ?? default,
                });
        return [.. files.OrderBy(f => f.LastModified).ThenBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The file with its content hash, computed (and stored on the blob) when the store keeps none; then it is the
    /// version found now, which may be newer than the one listed.
    /// </summary>
    public async Task<SourceFile> WithContentHashAsync(string dataset, SourceFile file, CancellationToken ct = default)
    {
        if (file.ContentHash is not null)
            return file;
        var blobName = $"{dataset}/{file.Name}";
        var properties = (await Blob(blobName).GetPropertiesAsync(cancellationToken: ct)).Value;
        return file with
        {
            ETag = properties.ETag.ToString(), Bytes = properties.ContentLength, LastModified = properties.LastModified,
            ContentHash = await ContentHashAsync(blobName, properties, ct),
        };
    }

    /// <summary>
    /// Identifies the data of a set of files by their contents: the same contents give the same hash whatever the files
    /// are called, in whatever order they came (a single file's hash is its own, as runs on one file always had).
    /// </summary>
    public static string DataHash(IReadOnlyCollection<string> contentHashes) => contentHashes.Count == 1
        ? contentHashes.Single()
        : "files:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", contentHashes.Order(StringComparer.Ordinal)))));

    /// <summary>
    /// Downloads exactly the version of a file a run was started for. The blob may have been overwritten since: with the
    /// same content (a re-upload, which starts no second run) that is fine, also when the overwrite lands between
    /// reading the blob's version and downloading it; with other content the newer upload has its own run, and this is
    /// an InvalidDatasetException.
    /// </summary>
    public async Task DownloadAsync(string dataset, SourceFile file, string path, CancellationToken ct = default)
    {
        var blobName = $"{dataset}/{file.Name}";
        var blob = Blob(blobName);
        try
        {
            // Overwritten between reading its version and downloading: look again.
            await OnBlobChanged.ExecuteAsync(async token =>
            {
                var etag = new ETag(file.ETag);
                var current = (await blob.GetPropertiesAsync(cancellationToken: token)).Value;
                if (current.ETag != etag && KnownContentHash(current.ContentHash) == file.ContentHash)
                    etag = current.ETag;
                await blob.DownloadToAsync(path, new BlobDownloadToOptions { Conditions = new BlobRequestConditions { IfMatch = etag } }, token);
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new InvalidDatasetException(e.Status == 404
                ? $"datasets/{blobName} was deleted before training started."
                : $"datasets/{blobName} changed before training started; the newer upload trains in its own run.");
        }
    }

    /// <summary>Every training-data blob, with the dataset it belongs to.</summary>
    public async IAsyncEnumerable<(string Dataset, BlobItem Blob)> ListDataAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            if (DatasetBlob.Parse(blob.Name, out _) is { } parsed)
                yield return (parsed.Dataset, blob);
    }

    /// <summary>Writes an upload (streamed, with its spec as metadata); the blob trigger or watcher then sees it like any other.</summary>
    public async Task<BlobProperties> UploadAsync(string dataset, string file, Stream content, IDictionary<string, string> metadata, CancellationToken ct = default)
    {
        var blob = Blob($"{dataset}/{file}");
        await blob.UploadAsync(content, new BlobUploadOptions { Metadata = metadata }, ct);
        return (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
    }

    /// <summary>
    /// Downloads the files at these positions of <paramref name="files"/>, each at its version (<see cref="DownloadAsync(string, SourceFile, string, CancellationToken)"/>),
    /// into a subfolder of <paramref name="folder"/> named after its position, under its own name (which the engine's
    /// messages use); returns their paths by position.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> DownloadAsync(string dataset, IReadOnlyList<SourceFile> files, IEnumerable<int> positions,
        string folder, CancellationToken ct = default)
    {
        var paths = new SortedDictionary<int, string>();
        foreach (var position in positions)
        {
            var subfolder = Directory.CreateDirectory(Path.Combine(folder, position.ToString(CultureInfo.InvariantCulture))).FullName;
            paths[position] = Path.Combine(subfolder, Path.GetFileName(files[position].Name));
            await DownloadAsync(dataset, files[position], paths[position], ct);
        }
        return paths;
    }

    /// <summary>Deletes every blob of the dataset's folder; returns how many there were.</summary>
    public Task<int> DeleteAsync(string dataset, CancellationToken ct = default) => containers.Datasets.DeletePrefixAsync(dataset + "/", ct);

    /// <summary>
    /// Identifies a blob's data by its content, whatever tool uploaded it: the MD5 the store keeps, or, when the uploader
    /// sent none (large uploads do not), one computed here and stored on the blob so it is computed once.
    /// </summary>
    public async Task<string> ContentHashAsync(string blobName, BlobProperties properties, CancellationToken ct = default)
    {
        var blob = Blob(blobName);
        var firstLook = true;
        // A 412: the blob changed under the read or before the store: another reader (the watcher, the upload route)
        // stored the hash, which changes the blob's version, or it was overwritten. Look again.
        return await OnBlobChanged.ExecuteAsync(async token =>
        {
            if (!firstLook)
                properties = (await blob.GetPropertiesAsync(cancellationToken: token)).Value;
            firstLook = false;
            if (properties.ContentHash is { Length: > 0 } stored)
                return ContentHash(stored);
            byte[] md5;
            using (var hasher = MD5.Create())
            await using (var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), token))
                md5 = await hasher.ComputeHashAsync(stream, token);
            await blob.SetHttpHeadersAsync(new BlobHttpHeaders
            {
                ContentHash = md5, ContentType = properties.ContentType, ContentEncoding = properties.ContentEncoding,
                ContentLanguage = properties.ContentLanguage, ContentDisposition = properties.ContentDisposition,
                CacheControl = properties.CacheControl,
            }, new BlobRequestConditions { IfMatch = properties.ETag }, token);
            return ContentHash(md5);
        }, ct);
    }

    /// <summary>The content hash of a blob whose store already keeps its MD5; null when it keeps none.</summary>
    public static string? KnownContentHash(byte[]? contentMd5) => contentMd5 is { Length: > 0 } md5 ? ContentHash(md5) : null;

    private static string ContentHash(byte[] contentMd5) => "md5:" + Convert.ToBase64String(contentMd5);
}
