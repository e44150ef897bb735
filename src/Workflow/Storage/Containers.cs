using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Workflow.Storage;

/// <summary>The three containers of the storage layout (see README): uploads, run artifacts, model registry.</summary>
public sealed class Containers(BlobServiceClient service)
{
    public const string DatasetsName = "datasets";
    public const string RunsName = "runs";
    public const string ModelsName = "models";

    public BlobContainerClient Datasets { get; } = service.GetBlobContainerClient(DatasetsName);
    public BlobContainerClient Runs { get; } = service.GetBlobContainerClient(RunsName);
    public BlobContainerClient Models { get; } = service.GetBlobContainerClient(ModelsName);

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        foreach (var container in new[] { Datasets, Runs, Models })
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}

public static class BlobContainerExtensions
{
    /// <summary>Deletes every blob whose name starts with <paramref name="prefix"/>; returns how many it deleted.</summary>
    public static async Task<int> DeletePrefixAsync(this BlobContainerClient container, string prefix, CancellationToken ct = default)
    {
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            if ((await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct)).Value)
                deleted++;
        return deleted;
    }
}
