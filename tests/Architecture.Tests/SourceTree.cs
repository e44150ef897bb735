using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Serverless.Architecture.Tests;

/// <summary>The projects under src/ as their files describe them: namespaces, what each one uses, project references.</summary>
internal static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    public static string Src => Path.Combine(Root, "src");

    public static IReadOnlyList<string> Projects { get; } =
        Directory.GetDirectories(Src).Where(d => Directory.GetFiles(d, "*.csproj").Length == 1).Select(Path.GetFileName).Order().ToList()!;

    public static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(Src, project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>The Studio's web page: its HTML, stylesheet and scripts.</summary>
    public static IEnumerable<string> StudioPageFiles =>
        Directory.EnumerateFiles(Path.Combine(Src, "Studio", "wwwroot"), "*.*", SearchOption.AllDirectories);

    /// <summary>Each namespace of a project and the other Serverless namespaces its files import (the code uses no qualified names).</summary>
    public static Dictionary<string, HashSet<string>> NamespaceUses(string project)
    {
        var uses = new Dictionary<string, HashSet<string>>();
        foreach (var file in SourceFiles(project))
        {
            var text = File.ReadAllText(file);
            var own = FileNamespace().Match(text) is { Success: true } m ? m.Groups[1].Value : $"Serverless.{project}";
            var set = uses.TryGetValue(own, out var existing) ? existing : uses[own] = [];
            foreach (Match used in UsedNamespace().Matches(text))
                if (used.Groups[1].Value != own)
                    set.Add(used.Groups[1].Value);
        }
        return uses;
    }

    public static IReadOnlyList<string> ProjectReferences(string project) =>
        XDocument.Load(Path.Combine(Src, project, project + ".csproj")).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).Order().ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Serverless.sln not found above the test output folder.");
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using\s+(Serverless[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsedNamespace();
}
