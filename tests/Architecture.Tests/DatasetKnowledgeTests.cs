using System.Text.RegularExpressions;

namespace Serverless.Architecture.Tests;

/// <summary>
/// The product is measured on data it has never seen, so nothing in src/ may know a dataset by name: no column name
/// of the committed samples and test files appears in the source (code, strings or comments). The chain's general
/// English lexicon is the one exception: it holds ordinary words ("female", "education") that some samples also use
/// as column names. The Studio's page (src/Studio/wwwroot) is held to the same rule: it must work for any CSV.
/// </summary>
public sealed partial class DatasetKnowledgeTests
{
    private static readonly string[] GeneralEnglish = [Path.Combine("src", "Chain", "Extraction", "EnglishWords.cs")];

    [Fact]
    public void No_column_of_the_sample_data_is_named_in_src()
    {
        var columns = SampleColumns();
        Assert.Contains("tenure", columns);
        var found = SourceTree.Projects.SelectMany(SourceTree.SourceFiles).Concat(SourceTree.StudioPageFiles)
            .Where(file => !GeneralEnglish.Contains(Path.GetRelativePath(SourceTree.Root, file)))
            .SelectMany(file => Words().Matches(File.ReadAllText(file))
                .Where(w => columns.Contains(w.Value))
                .Select(w => $"{Path.GetRelativePath(SourceTree.Root, file)}: {w.Value}"))
            .Distinct()
            .ToList();
        Assert.Empty(found);
    }

    /// <summary>Header names (five letters or more) of every data file the repository commits.</summary>
    private static HashSet<string> SampleColumns()
    {
        var files = new[] { "samples", "tests" }.SelectMany(folder =>
            Directory.EnumerateFiles(Path.Combine(SourceTree.Root, folder), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".tsv", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            var header = File.ReadLines(file).First().TrimStart('\uFEFF');
            var separator = new[] { '\t', ';', ',' }.MaxBy(c => header.Count(h => h == c));
            var names = header.Split(separator).Select(n => n.Trim().Trim('"')).ToList();
            if (names.All(n => double.TryParse(n, out _))) continue; // no header row
            columns.UnionWith(names.Where(n => n.Length >= 5 && n.Any(char.IsLetter)));
        }
        return columns;
    }

    [GeneratedRegex(@"[\p{L}\p{N}_\-]+")]
    private static partial Regex Words();
}
