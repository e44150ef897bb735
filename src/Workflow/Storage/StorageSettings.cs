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
            return new BlobServiceClient(connectionString);

        var section = configuration.GetSection(ConnectionName);
        var serviceUri = section["blobServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.blob.core.windows.net" : null)
            ?? throw new InvalidOperationException(
                $"Set {ConnectionName} to a connection string, or {ConnectionName}__accountName for identity-based access.");
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = section["clientId"],
        });
        return new BlobServiceClient(new Uri(serviceUri), credential);
    }
}
