using System.IO.Compression;
using System.Text.Json;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Forecasting;

/// <summary>A member of the final forecast as packaged: its weight and fitted state (its ML.NET model, if any, is beside it).</summary>
internal sealed record PackagedMember(int CandidateId, double Weight, MemberState State);

/// <summary>
/// What a forecaster needs besides its card: the grid, the columns' roles, the intervals, the members, and each
/// series' history tail (as long as the longest lag reaches back).
/// </summary>
internal sealed record ForecastManifest(
    SeriesFrequency Frequency, DateTime Anchor, int Horizon, IReadOnlyList<string> Known, IReadOnlyList<string> Past, int Seed,
    PredictionIntervals Intervals, IReadOnlyList<double> LocalScales, IReadOnlyList<PackagedMember> Members, IReadOnlyList<SeriesData> History)
{
    public ForecastContext Context => new(new SeriesCalendar(Frequency, Anchor), Horizon, [.. History.Select(h => h.Id)], Known, Past, Seed);
}

/// <summary>The forecaster zip: card.json, forecast.json (the manifest) and members/{candidateId}.zip (ML.NET models).</summary>
internal sealed record ForecastPackage(ForecastCard Card, ForecastManifest Manifest, IReadOnlyDictionary<int, byte[]> Models)
{
    private const string CardEntry = "card.json";
    private const string ManifestEntry = "forecast.json";

    private static string ModelEntry(int candidateId) => $"members/{candidateId}.zip";

    public void Write(string path) => WorkDir.WriteAtomically(path, stream =>
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        WriteEntry(zip, CardEntry, JsonSerializer.SerializeToUtf8Bytes(Card, ForecastWorkDir.Json));
        WriteEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(Manifest, ForecastWorkDir.Json));
        foreach (var (candidateId, bytes) in Models) WriteEntry(zip, ModelEntry(candidateId), bytes);
    });

    public static ForecastPackage Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var card = JsonSerializer.Deserialize<ForecastCard>(ReadEntry(zip, CardEntry), ForecastWorkDir.Json)!;
        var manifest = JsonSerializer.Deserialize<ForecastManifest>(ReadEntry(zip, ManifestEntry), ForecastWorkDir.Json)!;
        var models = manifest.Members.Where(m => zip.GetEntry(ModelEntry(m.CandidateId)) is not null)
            .ToDictionary(m => m.CandidateId, m => ReadEntry(zip, ModelEntry(m.CandidateId)));
        return new ForecastPackage(card, manifest, models);
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"The forecaster package has no '{name}'.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
