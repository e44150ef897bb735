using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Serverless.Workflow.Storage;

/// <summary>JSON documents in blob storage (run records, cards, the champion pointer), with their ETags.</summary>
public static class BlobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static async Task<(T Value, ETag ETag)?> ReadAsync<T>(BlobClient blob, CancellationToken ct = default)
    {
        try
        {
            var content = await blob.DownloadContentAsync(ct);
            var value = content.Value.Content.ToObjectFromJson<T>(Options)
                ?? throw new InvalidDataException($"{blob.Name} holds no JSON value.");
            return (value, content.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes the document; with <paramref name="conditions"/> the write fails with 409/412 when another writer got there first.</summary>
    public static async Task<ETag> WriteAsync<T>(BlobClient blob, T value, BlobRequestConditions? conditions = null, CancellationToken ct = default)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Conditions = conditions,
        };
        var response = await blob.UploadAsync(BinaryData.FromObjectAsJson(value, Options), options, ct);
        return response.Value.ETag;
    }
}
