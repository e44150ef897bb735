using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Cli;

/// <summary>
/// `upload`: puts a CSV where the pipeline watches for it, datasets/{dataset}/{file}, with the training spec as blob
/// metadata, so no storage tool is needed. The connection defaults to AzureWebJobsStorage, then to local Azurite.
/// </summary>
internal static class UploadCommand
{
    public const string Usage =
        "       cli upload --data FILE.csv --dataset NAME [--label COL] [--task T] [--metric M] [--budget-seconds N]\n" +
        "           [--seed S] [--connection CONNECTION_STRING]";

    static readonly (string Option, string Metadata)[] SpecOptions =
        [("label", "label"), ("task", "task"), ("metric", "metric"), ("budget-seconds", "budgetseconds"), ("seed", "seed")];

    public static async Task<string> RunAsync(CliArguments arguments)
    {
        var data = arguments.Required("data");
        if (!File.Exists(data))
            throw new ArgumentException($"{data} does not exist.");
        var connection = arguments.Text("connection")
            ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage")
            ?? "UseDevelopmentStorage=true";
        var container = new BlobServiceClient(connection).GetBlobContainerClient("datasets");
        await container.CreateIfNotExistsAsync();
        var blobName = $"{arguments.Required("dataset")}/{Path.GetFileName(data)}";
        var metadata = SpecOptions.Where(o => arguments.Text(o.Option) is not null)
            .ToDictionary(o => o.Metadata, o => arguments.Text(o.Option)!);
        await container.GetBlobClient(blobName).UploadAsync(data, new BlobUploadOptions { Metadata = metadata });
        return $"datasets/{blobName}";
    }
}
