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
    /// <summary>How many earlier champions the pointer remembers for rollback.</summary>
    public const int HistoryLength = 20;

    public required string Version { get; init; }
    public required string ModelBlob { get; init; }
    public required string CardBlob { get; init; }
    public required string Metric { get; init; }
    public required double CvScore { get; init; }
    public required string DataHash { get; init; }
    /// <summary>The files (and versions) the live version was trained on; empty for versions from before several files.</summary>
    public IReadOnlyList<SourceFile> SourceFiles { get; init; } = [];
    public DateTimeOffset DataLastModified { get; init; }
    public DateTimeOffset PromotedAt { get; init; }
    /// <summary>The versions that were champion before this one, most recent first: rollback goes back along them.</summary>
    public IReadOnlyList<string> History { get; init; } = [];
    /// <summary>The version a rollback would restore.</summary>
    public string? PreviousVersion => History.Count > 0 ? History[0] : null;

    /// <summary>Whether the live version was trained on a file with this content (a version of one file trained on its own has the data's hash).</summary>
    public bool Saw(string contentHash) =>
        SourceFiles.Count > 0 ? SourceFiles.Any(f => f.ContentHash == contentHash) : DataHash == contentHash;
}

public sealed record DeployOutcome(bool Promoted, string Reason);

/// <summary>
/// The challenger's score and the champion's on the same rows, those the champion never trained on (rows of files whose
/// contents it did not see): null when none of them has an out-of-fold prediction of the challenger's.
/// </summary>
public delegate Task<RowComparison?> CompareOnUnseenRows(ChampionPointer champion, CancellationToken ct);

/// <summary>A dataset's live model: its champion pointer and that version's card.</summary>
public sealed record LiveChampion(string Dataset, ChampionPointer Pointer, ModelCard Card);

/// <summary>How an operator's change of champion (rollback, promote) ended.</summary>
public abstract record ChampionChange
{
    private ChampionChange() { }

    public sealed record Changed(ChampionPointer Champion) : ChampionChange;

    public sealed record NoModels : ChampionChange;

    public sealed record UnknownVersion(string Version) : ChampionChange;

    public sealed record NothingToRollBackTo(ChampionPointer Champion) : ChampionChange;

    /// <summary>The champion is not the one the change was asked against (another change got there first).</summary>
    public sealed record Conflict(ChampionPointer? Champion) : ChampionChange;
}

/// <summary>
/// The model registry in the <c>models</c> container: immutable versions (model.zip + card.json) and a champion
/// pointer swapped with an ETag condition, so concurrent deployments never lose an update and concurrent operator
/// changes never silently undo each other.
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
    private BlobClient CardBlob(string dataset, string version) => containers.Models.GetBlobClient(VersionFolder(dataset, version) + "card.json");
    public BlobClient ModelBlob(string dataset, string version) => containers.Models.GetBlobClient(VersionFolder(dataset, version) + "model.zip");

    /// <summary>
    /// A champion pointer at a version of the registry, promoted now, with <paramref name="replaced"/> (if any) as the
    /// latest entry of its history.
    /// </summary>
    private ChampionPointer PointerTo(string dataset, string version, ModelCard card, DateTimeOffset dataLastModified, ChampionPointer? replaced)
    {
        var folder = VersionFolder(dataset, version);
        IEnumerable<string> history = replaced is null ? [] : [replaced.Version, .. replaced.History];
        return new ChampionPointer
        {
            Version = version,
            ModelBlob = folder + "model.zip",
            CardBlob = folder + "card.json",
            Metric = card.Metric,
            CvScore = card.CvScore,
            DataHash = card.DataHash ?? "",
            SourceFiles = card.SourceFiles,
            DataLastModified = dataLastModified,
            PromotedAt = time.GetUtcNow(),
            History = [.. history.Take(ChampionPointer.HistoryLength)],
        };
    }

    /// <summary>
    /// Stores the version and makes it the champion if it passes the gate (<see cref="Decide"/>) against the champion
    /// of the moment; <paramref name="compare"/> scores both on rows the champion never saw when their data differ.
    /// </summary>
    public async Task<DeployOutcome> DeployAsync(string dataset, string version, string modelPath, ModelCard card, DateTimeOffset dataLastModified,
        CompareOnUnseenRows compare, CancellationToken ct = default)
    {
        await ModelBlob(dataset, version).UploadAsync(modelPath, overwrite: true, ct);
        await BlobJson.WriteAsync(CardBlob(dataset, version), card, ct: ct);

        while (true)
        {
            var current = await GetChampionAsync(dataset, ct);
            var candidate = PointerTo(dataset, version, card, dataLastModified, current?.Pointer);
            var (promote, reason) = Decide(current?.Pointer, candidate)
                ?? OnUnseenRows(current!.Value.Pointer, await compare(current.Value.Pointer, ct));
            if (!promote)
                return new DeployOutcome(false, reason);
            if (current?.Pointer.Version == version)
                return new DeployOutcome(true, reason);
            try
            {
                await WritePointerAsync(dataset, candidate, current?.ETag, ct);
                return new DeployOutcome(true, reason);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another deployment swapped the pointer first: decide again against the new champion.
            }
        }
    }

    /// <summary>
    /// Champion/challenger gate, on the same rows: a run on older data than the champion's never wins; on the champion's
    /// own files (the same contents, so the same rows and folds) the better cross-validated score wins; on other files
    /// the models are compared on the rows the champion never saw (<see cref="OnUnseenRows"/>), which this leaves
    /// undecided (null). A challenger optimizing another metric wins: its scores do not compare.
    /// </summary>
    private static (bool Promote, string Reason)? Decide(ChampionPointer? champion, ChampionPointer challenger)
    {
        if (champion is null)
            return (true, "first model for this dataset");
        if (champion.Version == challenger.Version)
            return (true, "already the champion");
        if (champion.DataLastModified > challenger.DataLastModified)
            return (false, $"champion {champion.Version} was trained on newer data");
        if (champion.Metric != challenger.Metric)
            return (true, $"optimizes {challenger.Metric} where champion {champion.Version} optimized {champion.Metric}: their scores do not compare");
        if (champion.DataHash != challenger.DataHash)
            return null;
        return MetricCatalog.Gain(challenger.Metric, challenger.CvScore) <= MetricCatalog.Gain(champion.Metric, champion.CvScore)
            ? (false, $"champion {champion.Version} scores better on the same data ({champion.Metric} {champion.CvScore:G4} vs {challenger.CvScore:G4})")
            : (true, $"better score on the same data ({challenger.Metric} {challenger.CvScore:G4} vs {champion.CvScore:G4})");
    }

    /// <summary>
    /// On rows the champion never saw, the challenger's out-of-fold score against the champion's own: the challenger wins
    /// ties, and wins when there are no such rows to compare on.
    /// </summary>
    private static (bool Promote, string Reason) OnUnseenRows(ChampionPointer champion, RowComparison? rows)
    {
        if (rows is null)
            return (true, $"no row the champion {champion.Version} never saw has an out-of-fold prediction to compare on, so the newer data wins");
        var scores = $"challenger {rows.Metric} {rows.Challenger:G4} vs champion {rows.Champion:G4} on {rows.Rows:N0} rows the champion never saw";
        return MetricCatalog.Gain(rows.Metric, rows.Challenger) >= MetricCatalog.Gain(rows.Metric, rows.Champion)
            ? (true, scores)
            : (false, $"champion {champion.Version} stays: {scores}");
    }

    /// <summary>
    /// Makes the champion's previous version live again and forgets the one rolled back, so a second rollback goes
    /// further back instead of undoing the first. The pointer keeps the data time of the version it replaces, so runs
    /// on older data still cannot take over (a run on newer data can). With <paramref name="expectedChampion"/>, or
    /// when another change lands between reading and writing the pointer, a champion other than the expected one is
    /// a <see cref="ChampionChange.Conflict"/>: the caller asked to undo something that is no longer live.
    /// </summary>
    public async Task<ChampionChange> RollbackAsync(string dataset, string? expectedChampion = null, CancellationToken ct = default)
    {
        if (await GetChampionAsync(dataset, ct) is not { } current)
            return new ChampionChange.NoModels();
        if (expectedChampion is not null && expectedChampion != current.Pointer.Version)
            return new ChampionChange.Conflict(current.Pointer);
        if (current.Pointer.PreviousVersion is not { } previous
            || await BlobJson.ReadAsync<ModelCard>(CardBlob(dataset, previous), ct) is not { } card)
            return new ChampionChange.NothingToRollBackTo(current.Pointer);
        var restored = PointerTo(dataset, previous, card.Value, current.Pointer.DataLastModified, replaced: null)
            with { History = [.. current.Pointer.History.Skip(1)] };
        return await ChangeAsync(dataset, restored, current.ETag, ct);
    }

    /// <summary>
    /// Makes any deployed version the champion (the replaced champion goes on the history, so a rollback undoes the
    /// promotion). Same data-time rule and conflict rule as <see cref="RollbackAsync"/>.
    /// </summary>
    public async Task<ChampionChange> PromoteAsync(string dataset, string version, string? expectedChampion = null, CancellationToken ct = default)
    {
        if (await BlobJson.ReadAsync<ModelCard>(CardBlob(dataset, version), ct) is not { } card)
            return new ChampionChange.UnknownVersion(version);
        var current = await GetChampionAsync(dataset, ct);
        if (expectedChampion is not null && expectedChampion != current?.Pointer.Version)
            return new ChampionChange.Conflict(current?.Pointer);
        if (current?.Pointer.Version == version)
            return new ChampionChange.Changed(current.Value.Pointer);
        var dataTime = current?.Pointer.DataLastModified ?? card.Value.CreatedAt ?? time.GetUtcNow();
        var promoted = PointerTo(dataset, version, card.Value, dataTime, current?.Pointer);
        return await ChangeAsync(dataset, promoted, current?.ETag, ct);
    }

    private async Task<ChampionChange> ChangeAsync(string dataset, ChampionPointer next, ETag? readETag, CancellationToken ct)
    {
        try
        {
            await WritePointerAsync(dataset, next, readETag, ct);
            return new ChampionChange.Changed(next);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return new ChampionChange.Conflict((await GetChampionAsync(dataset, ct))?.Pointer);
        }
    }

    /// <summary>Writes the pointer only if it is still the one read (or, when none was read, still absent).</summary>
    private Task WritePointerAsync(string dataset, ChampionPointer pointer, ETag? readETag, CancellationToken ct) =>
        BlobJson.WriteAsync(ChampionBlob(dataset), pointer,
            readETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, ct);

    public async Task<(ChampionPointer Pointer, ETag ETag)?> GetChampionAsync(string dataset, CancellationToken ct = default) =>
        await BlobJson.ReadAsync<ChampionPointer>(ChampionBlob(dataset), ct);

    /// <summary>Every dataset that has a champion, by name, with the champion's card.</summary>
    public async Task<IReadOnlyList<LiveChampion>> ListChampionsAsync(CancellationToken ct = default)
    {
        var champions = new List<LiveChampion>();
        await foreach (var folder in containers.Models.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, ct))
        {
            if (!folder.IsPrefix) continue;
            var dataset = folder.Prefix.TrimEnd('/');
            if (await GetChampionAsync(dataset, ct) is { } champion
                && await BlobJson.ReadAsync<ModelCard>(containers.Models.GetBlobClient(champion.Pointer.CardBlob), ct) is { } card)
                champions.Add(new LiveChampion(dataset, champion.Pointer, card.Value));
        }
        return [.. champions.OrderBy(c => c.Dataset, StringComparer.Ordinal)];
    }

    /// <summary>Downloads a version's model package to a local file.</summary>
    public async Task DownloadModelAsync(ChampionPointer pointer, string localPath, CancellationToken ct = default) =>
        await containers.Models.GetBlobClient(pointer.ModelBlob).DownloadToAsync(localPath, ct);

    /// <summary>Deletes every version and the champion pointer of a dataset; returns how many blobs there were.</summary>
    public Task<int> DeleteAsync(string dataset, CancellationToken ct = default) => containers.Models.DeletePrefixAsync(dataset + "/", ct);

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
