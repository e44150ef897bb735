using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace Serverless.AutoMl.Data;

/// <summary>
/// A delimited text file, streamed: encoding (UTF-8, or Windows-1252 when the bytes are not valid UTF-8), separator,
/// header and width are sniffed once; the records are then read as often as needed, one at a time, never all held
/// as strings.
/// </summary>
internal sealed class DelimitedFile
{
    private static readonly char[] Candidates = [',', ';', '\t', '|'];
    private const int SniffLines = 30;
    private const int HeaderSampleRows = 200;
    private const int HeaderSampleCells = 100_000;
    private const int QuoteSniffRecords = 2000;
    private const int ScanBufferBytes = 1 << 20;

    static DelimitedFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public required string Path { get; init; }
    public required Encoding Encoding { get; init; }
    public required char Separator { get; init; }
    public required bool HasHeader { get; init; }
    public required IReadOnlyList<string> Names { get; init; }
    /// <summary>Line breaks in the file: at least the number of records, known before reading them.</summary>
    public required long Lines { get; init; }
    /// <summary>Whether quotes enclose fields; false when the file's quotes are just characters of unquoted text.</summary>
    public required bool Quoted { get; init; }

    public int Width => Names.Count;

    /// <summary>Sees one data record; the row is only valid during the call.</summary>
    public delegate void RecordHandler(long record, SepReader.Row row);

    public static DelimitedFile Open(string path)
    {
        if (!File.Exists(path)) throw new InvalidDatasetException($"The data file '{System.IO.Path.GetFileName(path)}' does not exist.");
        var (encoding, lines) = ScanBytes(path);
        var separator = SniffSeparator(path, encoding);
        var quoted = QuotesEncloseFields(path, encoding, separator);
        var first = ReadFirstRecords(path, encoding, separator, quoted, HeaderSampleRows + 1, HeaderSampleCells);
        if (first.Count == 0) throw new InvalidDatasetException("The file is empty: it has no rows.");
        var width = first[0].Length;
        if (width < 2)
            throw new InvalidDatasetException(
                "The file has a single column; a dataset needs feature columns and a label column separated by ',', ';', tab or '|'.");
        var hasHeader = LooksLikeHeader(first);
        var names = hasHeader ? UniqueNames(first[0]) : Enumerable.Range(1, width).Select(i => $"Column{i}").ToArray();
        return new DelimitedFile
        {
            Path = path, Encoding = encoding, Separator = separator, Quoted = quoted, HasHeader = hasHeader, Names = names, Lines = lines,
        };
    }

    /// <summary>
    /// Streams the data records to handle, numbered from 0; the header, blank lines and ragged records (a field count
    /// other than the header's) are skipped. Throws when more than raggedTolerance of the records are ragged.
    /// Returns the number of records handled.
    /// </summary>
    public long Read(RecordHandler handle, double raggedTolerance)
    {
        using var reader = OpenReader(Path, Encoding, Separator, Quoted);
        long handled = 0, ragged = 0, seen = 0, firstRagged = -1;
        var firstRaggedFields = 0;
        var header = HasHeader;
        foreach (var row in reader)
        {
            var fields = FieldCount(row);
            if (fields == 0) continue;
            if (header)
            {
                header = false;
                continue;
            }
            seen++;
            if (fields != Width)
            {
                if (ragged++ == 0) (firstRagged, firstRaggedFields) = (seen, fields);
                continue;
            }
            handle(handled++, row);
        }
        if (ragged > Math.Max(1, raggedTolerance * seen))
            throw new InvalidDatasetException(
                $"{ragged} of {seen} rows do not have {Width} fields like the first row " +
                $"(first at data row {firstRagged + (HasHeader ? 1 : 0)}: {firstRaggedFields} fields). Check the separator and quoting.");
        return handled;
    }

    /// <summary>Fields of a record not counting trailing empty ones (a trailing separator); 0 for a blank line.</summary>
    private int FieldCount(SepReader.Row row)
    {
        var count = row.ColCount;
        while (count > 0 && row[count - 1].Span.IsEmpty && (count > Width || AllEmpty(row, count))) count--;
        return count;
    }

    private static bool AllEmpty(SepReader.Row row, int count)
    {
        for (var i = 0; i < count; i++)
            if (!row[i].Span.IsEmpty) return false;
        return true;
    }

    private static SepReader OpenReader(string path, Encoding encoding, char separator, bool quoted) =>
        Sep.New(separator).Reader(o => o with
        {
            HasHeader = false, Unescape = quoted, DisableQuotesParsing = !quoted, DisableColCountCheck = true, Trim = SepTrim.All,
        }).From(new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));

    /// <summary>
    /// Quotes enclose fields unless the file's first records read more consistently without: text like
    /// <c>he said "hi" twice</c> in an unquoted field would otherwise swallow the separators and lines that follow
    /// until the next quote. Quoted fields with separators or line breaks inside read raggedly without quote parsing,
    /// so they keep it.
    /// </summary>
    private static bool QuotesEncloseFields(string path, Encoding encoding, char separator)
    {
        (int Records, int Consistent) Sample(bool quoted)
        {
            using var reader = OpenReader(path, encoding, separator, quoted);
            int records = 0, consistent = 0, width = -1;
            foreach (var row in reader)
            {
                if (AllEmpty(row, row.ColCount)) continue;
                if (width < 0) width = row.ColCount;
                records++;
                if (row.ColCount == width) consistent++;
                if (records == QuoteSniffRecords) break;
            }
            return (records, consistent);
        }
        var with = Sample(quoted: true);
        var without = Sample(quoted: false);
        return !(without.Records > with.Records && without.Consistent >= 0.99 * without.Records && without.Consistent > with.Consistent);
    }

    /// <summary>
    /// One pass over the bytes: line breaks, and whether they are valid UTF-8. A byte-order mark decides the encoding;
    /// without one, bytes that are not UTF-8 are read as Windows-1252 (Latin-1 and its printable extras).
    /// </summary>
    private static (Encoding Encoding, long Lines) ScanBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[ScanBufferBytes];
        Encoding? marked = null;
        var utf8 = true;
        long lines = 0;
        var carry = 0;
        var last = (byte)'\n';
        var first = true;
        int read;
        while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            lines += buffer.AsSpan(carry, read).Count((byte)'\n');
            last = buffer[carry + read - 1];
            var length = carry + read;
            if (first)
            {
                marked = ByteOrderMark(buffer.AsSpan(0, length));
                first = false;
            }
            carry = 0;
            if (marked is null && utf8)
            {
                var complete = CompleteUtf8Length(buffer.AsSpan(0, length));
                utf8 = Utf8.IsValid(buffer.AsSpan(0, complete));
                carry = length - complete;
                buffer.AsSpan(complete, carry).CopyTo(buffer);
            }
        }
        if (carry > 0) utf8 = false;
        if (last != '\n') lines++;
        return (marked ?? (utf8 ? new UTF8Encoding(false) : Encoding.GetEncoding(1252)), lines);
    }

    private static Encoding? ByteOrderMark(ReadOnlySpan<byte> start) => start switch
    {
        [0xEF, 0xBB, 0xBF, ..] => new UTF8Encoding(false),
        [0xFF, 0xFE, ..] => Encoding.Unicode,
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
        _ => null,
    };

    /// <summary>The length of bytes up to the last complete UTF-8 character (a chunk may end inside one).</summary>
    private static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(4, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte
            var needed = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed <= back ? bytes.Length : bytes.Length - back;
        }
        return bytes.Length;
    }

    private static char SniffSeparator(string path, Encoding encoding)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        for (var line = reader.ReadLine(); line is not null && lines.Count < SniffLines; line = reader.ReadLine())
            if (line.Trim().Length > 0) lines.Add(line);
        if (lines.Count == 0) throw new InvalidDatasetException("The file is empty: it has no rows.");
        // The separator that splits the lines most consistently into the most fields wins.
        return Candidates
            .Select(c => (c, counts: lines.Select(l => CountOutsideQuotes(l, c)).ToList()))
            .Select(x => (x.c, consistent: x.counts.Count(n => n == x.counts[0] && n > 0), fields: x.counts[0]))
            .OrderByDescending(x => x.consistent).ThenByDescending(x => x.fields)
            .First().c;
    }

    private static int CountOutsideQuotes(string line, char separator)
    {
        var count = 0;
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == separator && !quoted) count++;
        }
        return count;
    }

    private static List<string[]> ReadFirstRecords(string path, Encoding encoding, char separator, bool quoted, int count, int maxCells)
    {
        using var reader = OpenReader(path, encoding, separator, quoted);
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            if (AllEmpty(row, row.ColCount)) continue;
            var values = new string[row.ColCount];
            for (var i = 0; i < values.Length; i++) values[i] = row[i].ToString();
            rows.Add(values);
            if (rows.Count == count || (rows.Count > 1 && rows.Count * values.Length >= maxCells)) break;
        }
        return rows;
    }

    /// <summary>
    /// The first row is a header when some column is numeric below it but not in it, or when none of its
    /// values reappear in their column (names are not data).
    /// </summary>
    private static bool LooksLikeHeader(List<string[]> rows)
    {
        var first = rows[0];
        if (first.Any(v => !CellValues.IsMissing(v) && CellValues.TryNumber(v, out _))) return false;
        var sample = rows.Skip(1).ToList();
        if (sample.Count == 0) return true;
        for (var c = 0; c < first.Length; c++)
        {
            var column = sample.Where(r => c < r.Length && !CellValues.IsMissing(r[c])).Select(r => r[c]).ToList();
            if (column.Count > 0 && column.All(v => CellValues.TryNumber(v, out _))) return true;
        }
        return Enumerable.Range(0, first.Length).All(c => sample.All(r => c >= r.Length || r[c] != first[c]));
    }

    private static string[] UniqueNames(string[] header)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return header.Select((name, i) =>
        {
            var baseName = name.Trim().Length > 0 ? name.Trim() : $"Column{i + 1}";
            var unique = baseName;
            for (var n = 2; !seen.Add(unique); n++) unique = $"{baseName}_{n}";
            return unique;
        }).ToArray();
    }
}
