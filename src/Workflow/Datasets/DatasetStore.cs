using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Datasets;

/// <summary>One file of a dataset as the datasets container holds it.</summary>
public sealed record DatasetFile(string Name, long Bytes, DateTimeOffset LastModified, string ETag);

/// <summary>
/// The datasets container: uploads at <c>{dataset}/{file}</c> (see <see cref="DatasetBlob"/> for which are training
/// data) and each dataset's optional spec sidecar <c>{dataset}/automl.json</c>.
/// </summary>
public sealed class DatasetStore(Containers containers)
{
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

    /// <summary>A dataset's training-data files, oldest first.</summary>
    public async Task<IReadOnlyList<DatasetFile>> ListFilesAsync(string dataset, CancellationToken ct = default)
    {
        var files = new List<DatasetFile>();
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, dataset + "/", ct))
            if (DatasetBlob.Parse(blob.Name, out _) is { } parsed)
                files.Add(new DatasetFile(parsed.File, blob.Properties.ContentLength ?? 0,
                    blob.Properties.LastModified ?? default, blob.Properties.ETag?.ToString() ?? ""));
        return [.. files.OrderBy(f => f.LastModified).ThenBy(f => f.Name, StringComparer.Ordinal)];
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

    /// <summary>Deletes every blob of the dataset's folder; returns how many there were.</summary>
    public Task<int> DeleteAsync(string dataset, CancellationToken ct = default) => containers.Datasets.DeletePrefixAsync(dataset + "/", ct);

    /// <summary>
    /// Identifies a blob's data by its content, whatever tool uploaded it: the MD5 the store keeps, or, when the uploader
    /// sent none (large uploads do not), one computed here and stored on the blob so it is computed once.
    /// </summary>
    public async Task<string> DataHashAsync(string blobName, BlobProperties properties, CancellationToken ct = default)
    {
        if (properties.ContentHash is { Length: > 0 } stored)
            return DataHash(stored);
        var blob = Blob(blobName);
        byte[] md5;
        using (var hasher = MD5.Create())
        await using (var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct))
            md5 = await hasher.ComputeHashAsync(stream, ct);
        try
        {
            await blob.SetHttpHeadersAsync(new BlobHttpHeaders
            {
                ContentHash = md5, ContentType = properties.ContentType, ContentEncoding = properties.ContentEncoding,
                ContentLanguage = properties.ContentLanguage, ContentDisposition = properties.ContentDisposition,
                CacheControl = properties.CacheControl,
            }, new BlobRequestConditions { IfMatch = properties.ETag }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Overwritten meanwhile: the new content gets its own hash when its run starts.
        }
        return DataHash(md5);
    }

    /// <summary>The data hash of a blob whose store already keeps its MD5; null when it keeps none.</summary>
    public static string? KnownDataHash(byte[]? contentMd5) => contentMd5 is { Length: > 0 } md5 ? DataHash(md5) : null;

    private static string DataHash(byte[] contentMd5) => "md5:" + Convert.ToBase64String(contentMd5);
}
