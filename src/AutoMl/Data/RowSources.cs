namespace Serverless.AutoMl.Data;

/// <summary>
/// Where rows came from: each row's file (its position in the paths Prepare read) and its record number in that file
/// (data records counted from 0, as <see cref="DelimitedFile.Read"/> numbers them). Prepare keeps them for the
/// evaluation rows, so a model's out-of-fold predictions can be matched to the raw rows of one file.
/// </summary>
internal sealed class RowSources(int[] files, long[] records)
{
    public int[] Files { get; } = files;
    public long[] Records { get; } = records;
    public int Rows => Files.Length;

    /// <summary>The sources of rows in a new order: row i of the result is row order[i] of this.</summary>
    public RowSources Reordered(IReadOnlyList<int> order)
    {
        var (files, records) = (new int[order.Count], new long[order.Count]);
        for (var i = 0; i < order.Count; i++) (files[i], records[i]) = (Files[order[i]], Records[order[i]]);
        return new RowSources(files, records);
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Rows);
        WorkDir.WriteArray(writer, Files);
        WorkDir.WriteArray(writer, Records);
    }

    public static RowSources Read(BinaryReader reader)
    {
        var rows = reader.ReadInt32();
        return new RowSources(WorkDir.ReadArray<int>(reader, rows), WorkDir.ReadArray<long>(reader, rows));
    }

    public void Write(string path) => WorkDir.WriteAtomically(path, stream =>
    {
        using var writer = new BinaryWriter(stream);
        Write(writer);
    });

    public static RowSources Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        return Read(reader);
    }
}
