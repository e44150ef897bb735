using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Storage;

namespace Serverless.Cli;

/// <summary>
/// `upload`: puts a CSV where the pipeline watches for it, datasets/{dataset}/{file}, with the training spec as blob
/// metadata, so no storage tool is needed. The connection defaults to AzureWebJobsStorage, then to local Azurite.
/// </summary>
internal static class UploadCommand
{
    public const string Usage =
        "       cli upload --data FILE.csv --dataset NAME [--label COL] [--task T] [--metric M] [--budget-seconds N]\n" +
        "           [--seed S] [--parallel-trials K] [--connection CONNECTION_STRING]";

    public static async Task<string> RunAsync(CliArguments arguments)
    {
        var data = arguments.Required("data");
        if (!File.Exists(data))
            throw new ArgumentException($"{data} does not exist.");
        var connection = arguments.Text("connection")
            ?? Environment.GetEnvironmentVariable(StorageSettings.ConnectionName)
            ?? "UseDevelopmentStorage=true";
        var container = new BlobServiceClient(connection).GetBlobContainerClient(Containers.DatasetsName);
        await container.CreateIfNotExistsAsync();
        var blobName = $"{arguments.Required("dataset")}/{Path.GetFileName(data)}";
        await container.GetBlobClient(blobName).UploadAsync(data, new BlobUploadOptions { Metadata = SpecMetadata.From(arguments.Spec()) });
        return $"{Containers.DatasetsName}/{blobName}";
    }
}
