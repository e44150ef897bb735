using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Serverless.Workflow.Storage;

/// <summary>The storage account behind everything: the same AzureWebJobsStorage setting the Functions host uses.</summary>
public static class StorageSettings
{
    public const string ConnectionName = "AzureWebJobsStorage";

    /// <summary>
    /// A connection string (local, Azurite) or, in Azure, identity-based settings
    /// (<c>AzureWebJobsStorage__blobServiceUri</c> or <c>__accountName</c>, optional <c>__clientId</c>).
    /// </summary>
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
            return new BlobServiceClient(connectionString, Options);

        var section = configuration.GetSection(ConnectionName);
        var serviceUri = section["blobServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.blob.core.windows.net" : null)
            ?? throw new InvalidOperationException(
                $"Set {ConnectionName} to a connection string, or {ConnectionName}__accountName for identity-based access.");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = section["clientId"],
        });
        return new BlobServiceClient(new Uri(serviceUri), credential, Options);
    }

    /// <summary>
    /// A few quick retries: transient errors are ridden out, while an unreachable account is known within seconds
    /// (the API answers 503 then, instead of hanging for the SDK's default backoff).
    /// </summary>
    private static BlobClientOptions Options => new()
    {
        Retry = { MaxRetries = 3, Delay = TimeSpan.FromMilliseconds(300), MaxDelay = TimeSpan.FromSeconds(3), NetworkTimeout = TimeSpan.FromSeconds(30) },
    };

    /// <summary>Whether an exception says the storage account could not be reached (rather than that a request was wrong).</summary>
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnreachable),
        HttpRequestException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => exception.InnerException is { } inner && IsUnreachable(inner),
    };
}
