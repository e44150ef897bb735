using System.Diagnostics;
using System.Text.Json;
using Serverless.Tests.Shared;
using Serverless.Workflow.Datasets;

namespace Serverless.EndToEnd.Tests;

/// <summary>The offline command line as a user runs it: its own process, a relative output path, JSON on stdout.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Train_prints_one_json_summary_writes_the_model_next_to_the_user_and_lists_its_trials()
    {
        var folder = Directory.CreateTempSubdirectory("cli-").FullName;
        var data = Path.Combine(Repo.Root, "tests", "AutoMl.Tests", "data", "penguins.csv");
        var (exitCode, stdout, stderr) = await Cli.RunAsync(folder,
            "train", "--data", data, "--label", "species", "--test", data, "--budget-seconds", "8", "--seed", "3", "--json",
            "--trials", "trials.json");

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
        var trials = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "trials.json"))).RootElement;
        Assert.Equal(summary.GetProperty("trials").GetInt32(), trials.GetArrayLength());
        Assert.Contains(trials.EnumerateArray(), t => t.GetProperty("score").ValueKind == JsonValueKind.Number
                                                      && t.GetProperty("learner").GetString() == summary.GetProperty("best").GetProperty("learner").GetString());
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>The command line against a real host: upload through the API, follow, list, promote, roll back, cancel.</summary>
public sealed class CliHostTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private string Host => fixture.Host.BaseAddress.ToString();

    [Fact]
    public async Task Upload_prints_the_run_url_and_the_host_verbs_follow_list_promote_roll_back_and_cancel()
    {
        var folder = Directory.CreateTempSubdirectory("cli-host-").FullName;
        var data = Path.Combine(AppContext.BaseDirectory, "data", "churn-small.csv");
        var upload = await Cli.RunAsync(folder, "upload", "--data", data, "--dataset", "cli-host", "--label", "churn", "--budget-seconds", "5",
            "--data-files", "replace", "--host", Host);
        Assert.True(upload.ExitCode == 0, upload.Stderr);
        var runUrl = upload.Stdout.Trim();
        Assert.StartsWith($"{Host}api/runs/cli-host_", runUrl);
        var runId = runUrl[(runUrl.LastIndexOf('/') + 1)..];
        Assert.Equal(DataFiles.Replace, (await fixture.Client.RunRequestAsync(runId))?.DataFiles);

        var watched = await Cli.RunAsync(folder, "runs", runId, "--watch", "--host", Host);
        Assert.True(watched.ExitCode == 0, watched.Stdout + watched.Stderr);
        Assert.Contains("succeeded", watched.Stdout);
        var listed = await Cli.RunAsync(folder, "runs", "--dataset", "cli-host", "--host", Host);
        Assert.Contains(runId, listed.Stdout);

        var models = await Cli.RunAsync(folder, "models", "cli-host", "--host", Host);
        Assert.Contains("live", models.Stdout);
        var version = (await fixture.Client.ChampionAsync("cli-host"))!.Version;
        Assert.Equal(0, (await Cli.RunAsync(folder, "promote", "cli-host", version, "--host", Host)).ExitCode);
        var rollback = await Cli.RunAsync(folder, "rollback", "cli-host", "--host", Host);
        Assert.Equal(1, rollback.ExitCode);
        Assert.Contains("409 Nothing to roll back to", rollback.Stderr);
        var cancel = await Cli.RunAsync(folder, "cancel", runId, "--host", Host);
        Assert.Equal(1, cancel.ExitCode);
        Assert.Contains("409 Run already ended", cancel.Stderr);

        // The model the pipeline deployed scores a file offline.
        var package = Path.Combine(folder, "model.zip");
        await File.WriteAllBytesAsync(package, await fixture.Client.Http.GetByteArrayAsync($"api/models/cli-host/versions/{version}/model.zip"));
        var predict = await Cli.RunAsync(folder, "predict", "--model", package, "--data", data, "--output", "scored.csv");
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var scored = File.ReadAllLines(Path.Combine(folder, "scored.csv"));
        Assert.Equal(File.ReadAllLines(data).Length, scored.Length);
        Assert.EndsWith("prediction,probability_No,probability_Yes", scored[0]);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Help_lists_every_verb_and_a_wrong_command_line_is_exit_code_2()
    {
        var help = await Cli.RunAsync(Path.GetTempPath(), "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "train", "baseline", "predict", "upload", "runs", "models", "promote", "rollback", "cancel" })
            Assert.Contains(verb, help.Stdout);
        var trainHelp = await Cli.RunAsync(Path.GetTempPath(), "train", "--help");
        Assert.Contains("--budget-seconds", trainHelp.Stdout);
        Assert.Equal(2, (await Cli.RunAsync(Path.GetTempPath(), "frobnicate")).ExitCode);
        Assert.Equal(2, (await Cli.RunAsync(Path.GetTempPath(), "train")).ExitCode);
        var unreachable = await Cli.RunAsync(Path.GetTempPath(), "runs", "--host", "http://127.0.0.1:1");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot be reached", unreachable.Stderr);
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
