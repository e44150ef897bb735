using System.Diagnostics;
using System.Text.Json;
using Serverless.Tests.Shared;

namespace Serverless.EndToEnd.Tests;

/// <summary>The offline command line as a user runs it: its own process, a relative output path, JSON on stdout.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Train_prints_one_json_summary_and_writes_the_model_next_to_the_user()
    {
        var folder = Directory.CreateTempSubdirectory("cli-").FullName;
        var data = Path.Combine(Repo.Root, "tests", "AutoMl.Tests", "data", "penguins.csv");
        var (exitCode, stdout, stderr) = await Cli.RunAsync(folder,
            "train", "--data", data, "--label", "species", "--test", data, "--budget-seconds", "8", "--seed", "3", "--json");

        Assert.True(exitCode == 0, stderr);
        var summary = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("multiclass", summary.GetProperty("task").GetString());
        Assert.Equal("microAccuracy", summary.GetProperty("metric").GetString());
        Assert.InRange(summary.GetProperty("cvScore").GetDouble(), 0.9, 1.0);
        Assert.Equal(["logloss", "macroAccuracy", "microAccuracy"],
            summary.GetProperty("test").EnumerateObject().Select(p => p.Name).Order());
        Assert.True(summary.GetProperty("trials").GetInt32() >= 2);
        Assert.False(string.IsNullOrEmpty(summary.GetProperty("best").GetProperty("learner").GetString()));
        Assert.Equal(JsonValueKind.Array, summary.GetProperty("ensemble").ValueKind);
        Assert.InRange(summary.GetProperty("seconds").GetDouble(), 1, 8 * 1.1 + 5);
        Assert.True(File.Exists(Path.Combine(folder, "model.zip")), "--output defaults to model.zip in the working folder");
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>Runs the built src/Cli as its own process.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(Repo.Root, "src", "Cli", "bin", Repo.Configuration, "net10.0", "Serverless.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }
}
