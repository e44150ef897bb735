using Azure.Storage.Blobs;

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
