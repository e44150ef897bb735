using System.Text.Json.Nodes;

namespace Serverless.Infra.Tests;

/// <summary>The repository's infra compiled once per test run.</summary>
public sealed class CompiledInfra
{
    public const string MainFile = "infra/main.bicep";

    /// <summary>Deployed by the azure.yaml postdeploy hook, after the function code exists.</summary>
    public const string DatasetEventsFile = "infra/app/dataset-events.bicep";

    public CompiledInfra()
    {
        RepoRoot = FindRepoRoot();
        Builds = new[] { MainFile, DatasetEventsFile }
            .ToDictionary(file => file, file => BicepCli.Build(Path.Combine(RepoRoot, file)));
    }

    public string RepoRoot { get; }

    public IReadOnlyDictionary<string, BicepCli.Result> Builds { get; }

    public JsonNode Main => Parse(MainFile);

    public JsonNode DatasetEvents => Parse(DatasetEventsFile);

    public string ReadRepoFile(string relativePath) => File.ReadAllText(Path.Combine(RepoRoot, relativePath));

    private JsonNode Parse(string file)
    {
        var build = Builds[file];
        Assert.True(build.ExitCode == 0, $"bicep build {file} failed:\n{build.Diagnostics}");
        return JsonNode.Parse(build.Json)!;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "azure.yaml")) && Directory.Exists(Path.Combine(dir.FullName, "infra")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no azure.yaml + infra/ above {AppContext.BaseDirectory}");
    }
}
