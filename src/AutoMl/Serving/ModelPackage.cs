using System.IO.Compression;
using System.Text.Json;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>What a package holds besides the card: the data layout and the ensemble's members.</summary>
internal sealed record ModelManifest(DatasetProfile Profile, IReadOnlyList<EnsembleMember> Members);

/// <summary>
/// The model zip: card.json, manifest.json and per ensemble member an ML.NET model (members/{trialId}.zip) and what its
/// contributions are measured from (members/{trialId}.background.json; packages written before it have none).
/// </summary>
internal sealed record ModelPackage(ModelCard Card, ModelManifest Manifest, IReadOnlyDictionary<int, byte[]> Models)
{
    private const string CardEntry = "card.json";
    private const string ManifestEntry = "manifest.json";

    private static string ModelEntry(int trialId) => $"members/{trialId}.zip";

    private static string BackgroundEntry(int trialId) => $"members/{trialId}.background.json";

    public IReadOnlyDictionary<int, MemberBackground> Backgrounds { get; init; } = new Dictionary<int, MemberBackground>();

    public void Write(string path) => WorkDir.WriteAtomically(path, stream =>
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        WriteEntry(zip, CardEntry, JsonSerializer.SerializeToUtf8Bytes(Card, WorkDir.Json));
        WriteEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(Manifest, WorkDir.Json));
        foreach (var (trialId, bytes) in Models) WriteEntry(zip, ModelEntry(trialId), bytes);
        foreach (var (trialId, background) in Backgrounds)
            WriteEntry(zip, BackgroundEntry(trialId), JsonSerializer.SerializeToUtf8Bytes(background, WorkDir.Json));
    });

    public static ModelPackage Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var card = JsonSerializer.Deserialize<ModelCard>(ReadEntry(zip, CardEntry), WorkDir.Json)!;
        var manifest = JsonSerializer.Deserialize<ModelManifest>(ReadEntry(zip, ManifestEntry), WorkDir.Json)!;
        var models = manifest.Members.ToDictionary(m => m.TrialId, m => ReadEntry(zip, ModelEntry(m.TrialId)));
        var backgrounds = manifest.Members.Where(m => zip.GetEntry(BackgroundEntry(m.TrialId)) is not null).ToDictionary(
            m => m.TrialId, m => JsonSerializer.Deserialize<MemberBackground>(ReadEntry(zip, BackgroundEntry(m.TrialId)), WorkDir.Json)!);
        return new ModelPackage(card, manifest, models) { Backgrounds = backgrounds };
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"The model package has no '{name}'.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
