using System.Text.Json;

namespace Serverless.AutoMl.Data;

/// <summary>The files Prepare, RunTrial and Finish share in a work directory.</summary>
internal static class WorkDir
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Names relative to the work directory, '/'-separated: the same names can serve as blob names of a run's work files.

    public const string ProfileFile = "profile.json";
    /// <summary>The prepared columns (PreparedTable), written by Prepare; read to build a fold cache and by Finish.</summary>
    public const string DataFile = "data.bin";
    /// <summary>Labels of the evaluation rows, which out-of-fold predictions line up with.</summary>
    public const string LabelsFile = "labels.bin";
    /// <summary>Finish's featurized rows when too many to cache in memory; deleted before Finish returns.</summary>
    public const string RefitDataFile = "refit.idv";

    /// <summary>
    /// A fold's featurized train or valid rows for one training sample size (the featurizer is fitted on those
    /// training rows). Written by Prepare for the first sample size and by the first trial that needs another.
    /// </summary>
    public static string FoldTrainFile(int fold, int sampleRows) => $"folds/{fold}-{sampleRows}-train.idv";
    public static string FoldValidFile(int fold, int sampleRows) => $"folds/{fold}-{sampleRows}-valid.idv";
    /// <summary>How long building that fold cache took, to plan Finish's featurization.</summary>
    public static string FoldBuildFile(int fold, int sampleRows) => $"folds/{fold}-{sampleRows}-valid.json";
    /// <summary>A trial's out-of-fold predictions of the evaluation rows.</summary>
    public static string OofFile(int trialId) => $"trials/{trialId}.oof";

    public static string DataPath(string dir) => Path.Combine(dir, DataFile);
    public static string LabelsPath(string dir) => Path.Combine(dir, LabelsFile);
    public static string ProfilePath(string dir) => Path.Combine(dir, ProfileFile);
    public static string RefitDataPath(string dir) => Path.Combine(dir, RefitDataFile);
    public static string OofPath(string dir, int trialId) => Path.Combine(dir, OofFile(trialId));
    public static string FoldTrainPath(string dir, int fold, int sampleRows) => Path.Combine(dir, FoldTrainFile(fold, sampleRows));
    public static string FoldValidPath(string dir, int fold, int sampleRows) => Path.Combine(dir, FoldValidFile(fold, sampleRows));
    public static string FoldBuildPath(string dir, int fold, int sampleRows) => Path.Combine(dir, FoldBuildFile(fold, sampleRows));

    public static DatasetProfile ReadProfile(string dir) =>
        JsonSerializer.Deserialize<DatasetProfile>(File.ReadAllText(ProfilePath(dir)), Json)
        ?? throw new InvalidOperationException($"No profile in {dir}; run Prepare first.");

    public static void WriteJson<T>(string path, T value) =>
        WriteAtomically(path, stream => JsonSerializer.Serialize(stream, value, Json));

    public static T? ReadJson<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json);

    /// <summary>Labels and predictions are stored as 32-bit floats: half the bytes to ship between activities.</summary>
    public static void WriteValues(string path, double[] values) => WriteAtomically(path, stream =>
    {
        var floats = values.Select(v => (float)v).ToArray();
        stream.Write(BitConverter.GetBytes(floats.Length));
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
    });

    public static double[] ReadValues(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[4];
        stream.ReadExactly(length);
        var floats = new float[BitConverter.ToInt32(length)];
        stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
        return floats.Select(f => (double)f).ToArray();
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
