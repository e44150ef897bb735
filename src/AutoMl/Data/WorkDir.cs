using System.Text.Json;

namespace Serverless.AutoMl.Data;

/// <summary>The files Prepare, RunTrial and Finish share in a work directory.</summary>
internal static class WorkDir
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Names relative to the work directory, '/'-separated: the same names serve as blob names of a run's work files.
    public const string ProfileFile = "profile.json";
    public const string DataFile = "data.tsv";
    public const string LabelsFile = "labels.bin";

    public static string FoldTrainFile(int fold) => $"folds/{fold}-train.idv";
    public static string FoldValidFile(int fold) => $"folds/{fold}-valid.idv";
    public static string OofFile(int trialId) => $"trials/{trialId}.oof";
    public static string TrialInfoFile(int trialId) => $"trials/{trialId}.json";

    public static string DataPath(string dir) => Path.Combine(dir, DataFile);
    public static string LabelsPath(string dir) => Path.Combine(dir, LabelsFile);
    public static string ProfilePath(string dir) => Path.Combine(dir, ProfileFile);
    public static string OofPath(string dir, int trialId) => Path.Combine(dir, OofFile(trialId));
    public static string FoldTrainPath(string dir, int fold) => Path.Combine(dir, FoldTrainFile(fold));
    public static string FoldValidPath(string dir, int fold) => Path.Combine(dir, FoldValidFile(fold));
    public static string TrialInfoPath(string dir, int trialId) => Path.Combine(dir, TrialInfoFile(trialId));

    public static DatasetProfile ReadProfile(string dir) =>
        JsonSerializer.Deserialize<DatasetProfile>(File.ReadAllText(ProfilePath(dir)), Json)
        ?? throw new InvalidOperationException($"No profile in {dir}; run Prepare first.");

    public static void WriteJson<T>(string path, T value) =>
        WriteAtomically(path, stream => JsonSerializer.Serialize(stream, value, Json));

    public static T? ReadJson<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json);

    public static void WriteDoubles(string path, double[] values) => WriteAtomically(path, stream =>
    {
        using var writer = new BinaryWriter(stream);
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    });

    public static double[] ReadDoubles(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
        return values;
    }

    /// <summary>Write to a unique temp file then rename, so a crashed or concurrent re-run never leaves half a file.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        path = Path.GetFullPath(path); // a bare file name has no directory part to create
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = File.Create(temp)) write(stream);
        File.Move(temp, path, overwrite: true);
    }
}
