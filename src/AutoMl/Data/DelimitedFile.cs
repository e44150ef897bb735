using nietras.SeparatedValues;

namespace Serverless.AutoMl.Data;

/// <summary>A delimited text file read into memory: separator sniffed, header detected, ragged rows checked.</summary>
internal sealed class DelimitedFile
{
    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    public required char Separator { get; init; }
    public required bool HasHeader { get; init; }
    public required IReadOnlyList<string> Names { get; init; }
    public required IReadOnlyList<string[]> Rows { get; init; }

    public static DelimitedFile Read(string path, double raggedTolerance)
    {
        if (!File.Exists(path)) throw new InvalidDatasetException($"The data file '{Path.GetFileName(path)}' does not exist.");
        var separator = SniffSeparator(path);
        var raw = ReadRows(path, separator);
        if (raw.Count == 0) throw new InvalidDatasetException("The file is empty: it has no rows.");
        var hasHeader = LooksLikeHeader(raw);
        var width = raw[0].Length;
        if (width < 2)
            throw new InvalidDatasetException(
                "The file has a single column; a dataset needs feature columns and a label column separated by ',', ';', tab or '|'.");
        var names = hasHeader ? UniqueNames(raw[0]) : Enumerable.Range(1, width).Select(i => $"Column{i}").ToArray();
        var body = raw.Skip(hasHeader ? 1 : 0).ToList();
        var rows = DropRaggedRows(body, width, raggedTolerance, hasHeader ? 2 : 1);
        return new DelimitedFile { Separator = separator, HasHeader = hasHeader, Names = names, Rows = rows };
    }

    /// <summary>
    /// Reads a file as records keyed by column name; a header-less file gets Column1..N like its training file did.
    /// </summary>
    public static IReadOnlyList<Dictionary<string, string?>> ReadRecords(string path)
    {
        var file = Read(path, raggedTolerance: 1);
        return file.Rows
            .Select(row => file.Names.Select((name, i) => (name, value: i < row.Length ? row[i] : null))
                .ToDictionary(p => p.name, p => p.value, StringComparer.OrdinalIgnoreCase))
            .ToList();
    }

    private static char SniffSeparator(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        for (var line = reader.ReadLine(); line is not null && lines.Count < 30; line = reader.ReadLine())
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

    private static List<string[]> ReadRows(string path, char separator)
    {
        using var reader = Sep.New(separator).Reader(o => o with
        {
            HasHeader = false, Unescape = true, DisableColCountCheck = true, Trim = SepTrim.All,
        }).FromFile(path);
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var values = new string[row.ColCount];
            for (var i = 0; i < values.Length; i++) values[i] = row[i].ToString();
            if (values.Any(v => v.Length > 0)) rows.Add(values);
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
        var sample = rows.Skip(1).Take(200).ToList();
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

    private static List<string[]> DropRaggedRows(List<string[]> rows, int width, double tolerance, int firstLine)
    {
        var kept = new List<string[]>(rows.Count);
        var ragged = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            // Trailing empty fields (a trailing separator) are not raggedness.
            if (row.Length > width && row.Skip(width).All(v => v.Length == 0)) row = row[..width];
            if (row.Length == width) kept.Add(row);
            else ragged.Add(i);
        }
        if (ragged.Count > Math.Max(1, tolerance * rows.Count))
            throw new InvalidDatasetException(
                $"{ragged.Count} of {rows.Count} rows do not have {width} fields like the first row " +
                $"(first at data row {ragged[0] + firstLine}: {rows[ragged[0]].Length} fields). Check the separator and quoting.");
        return kept;
    }
}
