using System.Text.RegularExpressions;

namespace Serverless.Architecture.Tests;

/// <summary>One test-naming style: a test is named by the sentence it proves, words joined by underscores.</summary>
public sealed partial class TestNamingTests
{
    [Fact]
    public void Every_test_is_named_as_a_sentence()
    {
        var tests = Directory.EnumerateFiles(Path.Combine(SourceTree.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => TestMethod().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Name: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(tests);
        Assert.Empty(tests.Where(t => !Sentence().IsMatch(t.Name)).Select(t => $"{t.File}: {t.Name}"));
    }

    [GeneratedRegex(@"\[(?:Fact|Theory|SkippableFact)[^\]]*\]\s*(?:\[[^\]]*\]\s*)*public (?:async )?(?:void|Task) (\w+)\(")]
    private static partial Regex TestMethod();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")]
    private static partial Regex Sentence();
}
