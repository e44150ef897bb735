using nietras.SeparatedValues;

namespace Serverless.AutoMl.Data;

/// <summary>
/// The files of one dataset read as one table, streamed one after the other. Each file is sniffed on its own
/// (encoding, separator, quoting, header); all must have the first file's columns, by name in any order and case, and
/// a record's cells are handed over in the first file's column order.
/// </summary>
internal sealed class DelimitedFiles
{
    private readonly IReadOnlyList<(DelimitedFile File, int[] Columns)> _files;

    private DelimitedFiles(IReadOnlyList<(DelimitedFile File, int[] Columns)> files)
    {
        _files = files;
        Files = [.. files.Select(f => f.File)];
    }

    public IReadOnlyList<DelimitedFile> Files { get; }
    public DelimitedFile First => Files[0];
    public IReadOnlyList<string> Names => First.Names;
    public int Width => First.Width;
    /// <summary>Line breaks in all files: at least the number of records.</summary>
    public long Lines => Files.Sum(f => f.Lines);

    /// <summary>Sees one data record: its number across all files, the file's position and its number in that file.</summary>
    public delegate void RecordHandler(long record, int file, long fileRecord, Row row);

    /// <summary>A record's cells in the first file's column order; only valid during the call.</summary>
    public readonly ref struct Row
    {
        private readonly SepReader.Row _row;
        private readonly int[] _columns;

        public Row(SepReader.Row row, int[] columns)
        {
            _row = row;
            _columns = columns;
        }

        public SepReader.Col this[int column] => _row[_columns[column]];
    }

    public static DelimitedFiles Open(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new InvalidDatasetException("There is no data file to read.");
        var files = paths.Select(path => Named(paths.Count, path, () => DelimitedFile.Open(path))).ToList();
        return new DelimitedFiles([.. files.Select(file => (file, ColumnsOf(files[0], file)))]);
    }

    /// <summary>Where each of the first file's columns is in <paramref name="file"/>; throws naming the columns that differ.</summary>
    private static int[] ColumnsOf(DelimitedFile first, DelimitedFile file)
    {
        var positions = file.Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);
        var missing = first.Names.Where(n => !positions.ContainsKey(n)).ToList();
        var extra = file.Names.Except(first.Names, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDatasetException(
                $"'{NameOf(file)}' does not have the columns of '{NameOf(first)}', so it cannot be trained on with it: " +
                string.Join("; ", new[]
                {
                    missing.Count > 0 ? $"it lacks {List(missing)}" : null,
                    extra.Count > 0 ? $"it has {List(extra)}, which '{NameOf(first)}' lacks" : null,
                }.OfType<string>()) +
                (file.HasHeader == first.HasHeader ? "." : $" ('{NameOf(file.HasHeader ? first : file)}' has no header row)."));
        return [.. first.Names.Select(n => positions[n])];
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string NameOf(DelimitedFile file) => Path.GetFileName(file.Path);

    /// <summary>
    /// Streams every file's data records to handle, in file order (see <see cref="DelimitedFile.Read"/>). Returns the
    /// number of records handled.
    /// </summary>
    public long Read(RecordHandler handle, double raggedTolerance)
    {
        long records = 0;
        for (var index = 0; index < _files.Count; index++)
        {
            var (file, columns) = _files[index];
            var (offset, position) = (records, index);
            records += Named(_files.Count, file.Path,
                () => file.Read((record, row) => handle(offset + record, position, record, new Row(row, columns)), raggedTolerance));
        }
        return records;
    }

    /// <summary>With several files, a file's unusable content is named after the file.</summary>
    private static T Named<T>(int files, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDatasetException e) when (files > 1)
        {
            throw new InvalidDatasetException($"'{Path.GetFileName(path)}': {e.Message}");
        }
    }
}
