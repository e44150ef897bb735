using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Datasets;

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

    /// <summary>Every training-data blob, with the dataset it belongs to.</summary>
    public async IAsyncEnumerable<(string Dataset, BlobItem Blob)> ListDataAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            if (DatasetBlob.Parse(blob.Name, out _) is { } parsed)
                yield return (parsed.Dataset, blob);
    }

    /// <summary>Identifies a blob's data: its MD5 when the store computed one, else its ETag.</summary>
    public static string DataHash(byte[]? contentMd5, string etag) => contentMd5 is { Length: > 0 }
        ? "md5:" + Convert.ToBase64String(contentMd5)
        : "etag:" + etag.Trim('"');
}
