using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Tests;

/// <summary>Sample data shipped with the tests, and throw-away directories.</summary>
internal static class TestFiles
{
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>A file's records in file order, keyed by column name (a header-less file's columns are Column1..N).</summary>
    public static IReadOnlyList<Dictionary<string, string?>> Records(string path)
    {
        var file = DelimitedFile.Open(path);
        var records = new List<Dictionary<string, string?>>();
        file.Read((_, row) =>
        {
            var record = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < file.Width; i++) record[file.Names[i]] = row[i].ToString();
            records.Add(record);
        }, raggedTolerance: 1);
        return records;
    }
}

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("automl-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        System.IO.File.WriteAllText(File(name), content);
        return File(name);
    }

    /// <summary>Splits a sample file's data rows deterministically into train and test files with the same header.</summary>
    public (string Train, string Test) Split(string source, bool hasHeader, int testEvery = 5)
    {
        var lines = System.IO.File.ReadAllLines(source);
        var header = hasHeader ? lines[..1] : [];
        var rows = lines.Skip(header.Length).ToList();
        var test = rows.Where((_, i) => i % testEvery == 0);
        var train = rows.Where((_, i) => i % testEvery != 0);
        var name = System.IO.Path.GetFileNameWithoutExtension(source);
        var extension = System.IO.Path.GetExtension(source);
        System.IO.File.WriteAllLines(File($"{name}-train{extension}"), header.Concat(train));
        System.IO.File.WriteAllLines(File($"{name}-test{extension}"), header.Concat(test));
        return (File($"{name}-train{extension}"), File($"{name}-test{extension}"));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
