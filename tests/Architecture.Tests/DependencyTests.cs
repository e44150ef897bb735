namespace Serverless.Architecture.Tests;

/// <summary>Dependencies point inward, and within a project no two folders (namespaces) need each other.</summary>
public sealed class DependencyTests
{
    /// <summary>
    /// Hosts → Workflow → AutoMl and Chain; Chain → AutoMl; AutoMl knows nothing of the others. The Studio (a web page
    /// that talks to the public API over HTTP) needs no project, and only the hosts that serve it know it.
    /// </summary>
    [Theory]
    [InlineData("AutoMl", new string[0])]
    [InlineData("Chain", new[] { "AutoMl" })]
    [InlineData("Studio", new string[0])]
    [InlineData("Workflow", new[] { "AutoMl", "Chain" })]
    [InlineData("FunctionApp", new[] { "Studio", "Workflow" })]
    [InlineData("LocalHost", new[] { "Studio", "Workflow" })]
    [InlineData("Cli", new[] { "Workflow" })]
    public void Projects_reference_only_what_is_further_in(string project, string[] references) =>
        Assert.Equal(references, SourceTree.ProjectReferences(project));

    [Fact]
    public void Every_project_is_covered() =>
        Assert.Equal(["AutoMl", "Chain", "Cli", "FunctionApp", "LocalHost", "Studio", "Workflow"], SourceTree.Projects);

    /// <summary>
    /// The project's root namespace is its public surface (contracts, the facade, DI registration) and may be used
    /// by and use every folder; between folders, dependencies must form no cycle.
    /// </summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public void Namespaces_inside_a_project_form_no_cycle(string project)
    {
        var root = $"Serverless.{project}";
        var graph = SourceTree.NamespaceUses(project).ToDictionary(
            n => n.Key, n => n.Value.Where(u => u.StartsWith(root + ".", StringComparison.Ordinal)).ToHashSet());
        graph.Remove(root);
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"namespace cycle: {string.Join(" → ", cycle ?? [])}");
    }

    public static TheoryData<string> Projects() => new(SourceTree.Projects);

    /// <summary>A path that comes back to where it started, or null (depth-first search).</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0) return [.. path[at..], node];
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
                if (Visit(next) is { } cycle) return cycle;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return graph.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }
}
