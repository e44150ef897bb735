using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Spectre.Console;

namespace Serverless.LocalHost;

/// <summary>
/// `demo`: the whole product on this host, the way a user meets it: upload a CSV, watch the durable run over HTTP,
/// read its leaderboard, ask the freshly deployed model a question. Exit code 0 only if every step worked.
/// </summary>
public sealed class Demo(WebApplication app, DemoOptions options)
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public async Task<int> RunAsync()
    {
        await app.StartAsync();
        try
        {
            var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(100) };
            var instanceId = await UploadAsync(http);
            var state = await FollowRunAsync(http, instanceId);
            if (state?.Report is not { Status: RunStatus.Succeeded } report)
            {
                _console.MarkupLineInterpolated($"[red]Run {instanceId} did not succeed:[/] {state?.Report?.Error ?? state?.Failure ?? state?.RuntimeStatus.ToString()}");
                return 1;
            }
            PrintLeaderboard(report);
            return await AskAsync(http) ? 0 : 1;
        }
        catch (Exception e)
        {
            _console.MarkupLineInterpolated($"[red]Demo failed:[/] {e.Message}");
            return 1;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private sealed record RunList(IReadOnlyList<RunSummary> Runs);

    private async Task<string> UploadAsync(HttpClient http)
    {
        var containers = app.Services.GetRequiredService<Containers>();
        await containers.EnsureCreatedAsync();
        var blobName = $"{options.Dataset}/{Path.GetFileName(options.DataPath)}";
        await containers.Datasets.GetBlobClient(blobName).UploadAsync(options.DataPath, new BlobUploadOptions
        {
            Metadata = SpecMetadata.From(new DatasetSpec { Training = new TrainingSpec { Label = options.Label, BudgetSeconds = options.BudgetSeconds } }),
        });
        _console.MarkupLineInterpolated($"Uploaded [bold]{options.DataPath}[/] to datasets/{blobName} (label {options.Label}, budget {options.BudgetSeconds} s)");

        // Storage is fresh, so the dataset's first run is this upload's.
        for (var waited = 0; waited < 300; waited++)
        {
            var listed = await http.GetFromJsonAsync<RunList>($"api/runs?dataset={options.Dataset}", BlobJson.Options);
            if (listed?.Runs.FirstOrDefault() is { } run)
                return run.InstanceId;
            await Task.Delay(100);
        }
        throw new TimeoutException("The blob watcher started no run within 30 s of the upload.");
    }

    private async Task<RunState?> FollowRunAsync(HttpClient http, string instanceId)
    {
        _console.MarkupLineInterpolated($"Run [bold]{instanceId}[/]: {http.BaseAddress}api/runs/{instanceId}");
        RunState? state = null;
        await _console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("profiling", maxValue: 1);
                while (true)
                {
                    state = await http.GetFromJsonAsync<RunState>($"api/runs/{instanceId}", BlobJson.Options);
                    if (state?.Progress is { } p)
                    {
                        bar.Description = p.BestScore is { } best
                            ? $"{Stage(p)}: {p.TrialsDone} trials, best {p.Metric} {best:F4} ({p.BestLearner})"
                            : $"{Stage(p)}: {p.TrialsDone} trials";
                        if (p.BudgetSeconds > 0)
                            bar.Value = Math.Min(0.99, p.ElapsedSeconds / p.BudgetSeconds);
                    }
                    if (state is not { IsActive: true })
                    {
                        bar.Value = 1;
                        return;
                    }
                    await Task.Delay(1000);
                }
            });
        return state;
    }

    private static string Stage(RunProgress progress) => progress.Stage.ToString().ToLowerInvariant();

    private void PrintLeaderboard(TrainingReport report)
    {
        var table = new Table().Title($"Leaderboard: {report.Task}, {report.Metric} (cross-validated)");
        table.AddColumns("#", "learner", report.Metric ?? "score", "seconds", "status");
        foreach (var (trial, rank) in report.Leaderboard.Take(10).Select((t, i) => (t, i + 1)))
            table.AddRow(rank.ToString(), trial.Learner, trial.Score?.ToString("F4") ?? "-", trial.Seconds.ToString("F1"), trial.Status.ToString().ToLowerInvariant());
        _console.Write(table);
        var ensemble = report.Ensemble.Count > 0 ? $"ensemble of {report.Ensemble.Count}" : "single model";
        _console.MarkupLineInterpolated($"Deployed [bold]{report.ModelVersion}[/] ({ensemble}, {report.Metric} {report.CvScore:F4}, {report.Trials} trials in {report.Seconds:F0} s, {report.TrialsFailed} failed)");
    }

    private async Task<bool> AskAsync(HttpClient http)
    {
        _console.MarkupLineInterpolated($"POST api/chain/{options.Dataset}/invoke  question: [italic]{options.Question}[/]");
        var response = await http.PostAsJsonAsync($"api/chain/{options.Dataset}/invoke", new { question = options.Question });
        var body = await response.Content.ReadAsStringAsync();
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement,
            new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        // The answer goes to stdout: it is the demo's result.
        Console.WriteLine(pretty);
        if (!response.IsSuccessStatusCode)
            _console.MarkupLineInterpolated($"[red]The chain answered {(int)response.StatusCode}[/]");
        return response.IsSuccessStatusCode;
    }
}

public sealed record DemoOptions(string DataPath, string Dataset, string Label, int BudgetSeconds, string Question)
{
    /// <summary>Parses `demo --data F --dataset D --label L --question Q [--budget-seconds N]`.</summary>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var data = Value("--data") ?? throw new ArgumentException("demo needs --data FILE.csv");
        return new DemoOptions(
            data,
            Value("--dataset") ?? Path.GetFileNameWithoutExtension(data).ToLowerInvariant(),
            Value("--label") ?? throw new ArgumentException("demo needs --label COLUMN"),
            int.Parse(Value("--budget-seconds") ?? "60"),
            Value("--question") ?? throw new ArgumentException("demo needs --question TEXT (a question about the data)"));
    }
}
