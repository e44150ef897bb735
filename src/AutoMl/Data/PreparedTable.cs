using System.Runtime.InteropServices;

namespace Serverless.AutoMl.Data;

/// <summary>One prepared feature's values: floats (NaN = missing), or codes into distinct strings (-1 = missing).</summary>
internal abstract record FeatureValues;

internal sealed record NumberValues(float[] Values) : FeatureValues;

internal sealed record CodedValues(int[] Codes, string[] Levels) : FeatureValues;

/// <summary>
/// The prepared data of a work directory, column by column: a value array per feature of the profile, the label
/// (class index or value) and the fold of each row. Rows are in stratified order, so every prefix is a stratified
/// sample; under a holdout the validation rows come first.
/// </summary>
internal sealed class PreparedTable(IReadOnlyList<FeatureValues> features, float[] labels, byte[] folds)
{
    private const int FormatVersion = 1;

    public IReadOnlyList<FeatureValues> Features { get; } = features;
    public float[] Labels { get; } = labels;
    public byte[] Folds { get; } = folds;
    public int Rows => Labels.Length;

    /// <summary>Encoded records (as RowEncoder makes them) as a table, e.g. to score many at once.</summary>
    public static PreparedTable FromRecords(IReadOnlyList<FeatureColumn> features, IReadOnlyList<object[]> records)
    {
        var columns = features.Select((f, i) => f.Kind == FeatureKind.Number
            ? (FeatureValues)new NumberValues(records.Select(r => (float)r[i]).ToArray())
            : Coded(records.Select(r => (string)r[i]))).ToList();
        return new PreparedTable(columns, new float[records.Count], new byte[records.Count]);
    }

    private static CodedValues Coded(IEnumerable<string> values)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = values.Select(v => v.Length == 0 ? -1 : codes.TryGetValue(v, out var c) ? c : codes[v] = codes.Count).ToArray();
        return new CodedValues(rows, codes.OrderBy(x => x.Value).Select(x => x.Key).ToArray());
    }

    public void Write(string path) => WorkDir.WriteAtomically(path, stream =>
    {
        using var writer = new BinaryWriter(stream);
        writer.Write(FormatVersion);
        writer.Write(Rows);
        writer.Write(Features.Count);
        foreach (var feature in Features)
        {
            switch (feature)
            {
                case NumberValues numbers:
                    writer.Write((byte)FeatureKind.Number);
                    writer.Write(MemoryMarshal.AsBytes(numbers.Values.AsSpan()));
                    break;
                case CodedValues coded:
                    writer.Write((byte)FeatureKind.Category);
                    writer.Write(coded.Levels.Length);
                    foreach (var level in coded.Levels) writer.Write(level);
                    writer.Write(MemoryMarshal.AsBytes(coded.Codes.AsSpan()));
                    break;
            }
        }
        writer.Write(MemoryMarshal.AsBytes(Labels.AsSpan()));
        writer.Write(Folds);
    });

    public static PreparedTable Read(string path)
    {
        using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        if (reader.ReadInt32() != FormatVersion) throw new InvalidDataException($"{path} is not prepared data of this engine version.");
        var rows = reader.ReadInt32();
        var features = new FeatureValues[reader.ReadInt32()];
        for (var f = 0; f < features.Length; f++)
        {
            if ((FeatureKind)reader.ReadByte() == FeatureKind.Number)
            {
                features[f] = new NumberValues(ReadArray<float>(reader, rows));
                continue;
            }
            var levels = new string[reader.ReadInt32()];
            for (var l = 0; l < levels.Length; l++) levels[l] = reader.ReadString();
            features[f] = new CodedValues(ReadArray<int>(reader, rows), levels);
        }
        var labels = ReadArray<float>(reader, rows);
        return new PreparedTable(features, labels, reader.ReadBytes(rows));
    }

    private static T[] ReadArray<T>(BinaryReader reader, int length) where T : struct
    {
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
