using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Registry;

/// <summary>What <c>models/{dataset}/champion.json</c> says: the live version and what it was trained on.</summary>
public sealed record ChampionPointer
{
    public required string Version { get; init; }
    public required string ModelBlob { get; init; }
    public required string CardBlob { get; init; }
    public required string Metric { get; init; }
    public required double CvScore { get; init; }
    public required string DataHash { get; init; }
    public DateTimeOffset DataLastModified { get; init; }
    public DateTimeOffset PromotedAt { get; init; }
    public string? PreviousVersion { get; init; }
}

public sealed record DeployOutcome(bool Promoted, string Reason);

/// <summary>
/// The model registry in the <c>models</c> container: immutable versions (model.zip + card.json) and a champion
/// pointer swapped with an ETag condition, so concurrent deployments never lose an update.
/// </summary>
public sealed class ModelRegistry(Containers containers, TimeProvider time)
{
    public static string VersionFor(string runId, DateTimeOffset startedAt)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId)))[..6];
        return $"{startedAt.UtcDateTime:yyyyMMdd-HHmmss}-{hash}";
    }

    private static string VersionFolder(string dataset, string version) => $"{dataset}/versions/{version}/";
    private BlobClient ChampionBlob(string dataset) => containers.Models.GetBlobClient($"{dataset}/champion.json");

    /// <summary>A champion pointer at a version of the registry, promoted now.</summary>
    private ChampionPointer PointerTo(string dataset, string version, ModelCard card, DateTimeOffset dataLastModified)
    {
        var folder = VersionFolder(dataset, version);
        return new ChampionPointer
        {
            Version = version,
            ModelBlob = folder + "model.zip",
            CardBlob = folder + "card.json",
            Metric = card.Metric,
            CvScore = card.CvScore,
            DataHash = card.DataHash ?? "",
            DataLastModified = dataLastModified,
            PromotedAt = time.GetUtcNow(),
        };
    }

    public async Task<DeployOutcome> DeployAsync(string dataset, string version, string modelPath, ModelCard card, DateTimeOffset dataLastModified, CancellationToken ct = default)
    {
        var folder = VersionFolder(dataset, version);
        await containers.Models.GetBlobClient(folder + "model.zip").UploadAsync(modelPath, overwrite: true, ct);
        await BlobJson.WriteAsync(containers.Models.GetBlobClient(folder + "card.json"), card, ct: ct);

        var candidate = PointerTo(dataset, version, card, dataLastModified);
        while (true)
        {
            var current = await BlobJson.ReadAsync<ChampionPointer>(ChampionBlob(dataset), ct);
            var (promote, reason) = Decide(current?.Value, candidate);
            if (!promote)
                return new DeployOutcome(false, reason);
            if (current?.Value.Version == version)
                return new DeployOutcome(true, reason);
            var conditions = current is { } existing
                ? new BlobRequestConditions { IfMatch = existing.ETag }
                : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await BlobJson.WriteAsync(ChampionBlob(dataset), candidate with { PreviousVersion = current?.Value.Version }, conditions, ct);
                return new DeployOutcome(true, reason);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another deployment swapped the pointer first: decide again against the new champion.
            }
        }
    }

    /// <summary>Champion/challenger gate: newer data wins; on the same data the better cross-validated score wins.</summary>
    private static (bool Promote, string Reason) Decide(ChampionPointer? champion, ChampionPointer challenger)
    {
        if (champion is null)
            return (true, "first model for this dataset");
        if (champion.Version == challenger.Version)
            return (true, "already the champion");
        if (champion.DataLastModified > challenger.DataLastModified)
            return (false, $"champion {champion.Version} was trained on newer data");
        if (champion.DataHash == challenger.DataHash && champion.Metric == challenger.Metric
            && MetricCatalog.Gain(challenger.Metric, challenger.CvScore) <= MetricCatalog.Gain(champion.Metric, champion.CvScore))
            return (false, $"champion {champion.Version} scores better on the same data ({champion.Metric} {champion.CvScore:G4} vs {challenger.CvScore:G4})");
        return (true, champion.DataHash == challenger.DataHash ? "better score on the same data" : "trained on newer data");
    }

    /// <summary>
    /// Makes the champion's previous version live again (the pointer keeps the data time of the version it replaces,
    /// so runs on older data still cannot take over; a run on newer data can). Null when there is nothing to roll back to.
    /// </summary>
    public async Task<ChampionPointer?> RollbackAsync(string dataset, CancellationToken ct = default)
    {
        while (true)
        {
            if (await GetChampionAsync(dataset, ct) is not { } current || current.Pointer.PreviousVersion is not { } previous)
                return null;
            var folder = VersionFolder(dataset, previous);
            if (await BlobJson.ReadAsync<ModelCard>(containers.Models.GetBlobClient(folder + "card.json"), ct) is not { } card)
                return null;
            var restored = PointerTo(dataset, previous, card.Value, current.Pointer.DataLastModified)
                with { PreviousVersion = current.Pointer.Version };
            try
            {
                await BlobJson.WriteAsync(ChampionBlob(dataset), restored, new BlobRequestConditions { IfMatch = current.ETag }, ct);
                return restored;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // A deployment swapped the pointer meanwhile: roll back from the new champion.
            }
        }
    }

    public async Task<(ChampionPointer Pointer, ETag ETag)?> GetChampionAsync(string dataset, CancellationToken ct = default) =>
        await BlobJson.ReadAsync<ChampionPointer>(ChampionBlob(dataset), ct);

    /// <summary>Downloads a version's model package to a local file.</summary>
    public async Task DownloadModelAsync(ChampionPointer pointer, string localPath, CancellationToken ct = default) =>
        await containers.Models.GetBlobClient(pointer.ModelBlob).DownloadToAsync(localPath, ct);

    public async Task<IReadOnlyList<ModelCard>> ListVersionsAsync(string dataset, CancellationToken ct = default)
    {
        var cards = new List<ModelCard>();
        await foreach (var blob in containers.Models.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{dataset}/versions/", ct))
        {
            if (blob.Name.EndsWith("/card.json", StringComparison.Ordinal)
                && await BlobJson.ReadAsync<ModelCard>(containers.Models.GetBlobClient(blob.Name), ct) is { } card)
                cards.Add(card.Value);
        }
        return [.. cards.OrderByDescending(c => c.CreatedAt)];
    }
}
