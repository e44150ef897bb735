using System.Diagnostics;
using System.Text.Json;
using Serverless.AutoMl;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>
/// The command line: train (the AutoML search), baseline (ML.NET LightGBM with its defaults), upload (a CSV into the
/// pipeline's datasets container).
/// </summary>
internal static class CliApp
{
    private const string Usage =
        "usage: cli train|baseline --data TRAIN.csv [--label COL] [--test TEST.csv] [--task binary|multiclass|regression]\n" +
        "           [--metric M] [--budget-seconds N] [--seed S] [--parallel-trials K] [--output model.zip] [--json]\n" +
        UploadCommand.Usage;

    /// <summary>The baseline trains once without a search, so it gets a budget that never times it out.</summary>
    private const int BaselineBudgetSeconds = 3600;

    private static readonly IAnsiConsole Progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var arguments = CliArguments.Parse(args);
            return arguments.Verb switch
            {
                "train" => await TrainAsync(arguments, baseline: false),
                "baseline" => await TrainAsync(arguments, baseline: true),
                "upload" => await UploadAsync(arguments),
                _ => throw new ArgumentException($"Unknown verb '{arguments.Verb}'."),
            };
        }
        catch (ArgumentException e)
        {
            Progress.MarkupLineInterpolated($"[red]{e.Message}[/]\n{Usage}");
            return 2;
        }
        catch (InvalidDatasetException e)
        {
            Progress.MarkupLineInterpolated($"[red]Unusable data:[/] {e.Message}");
            return 3;
        }
    }

    private static async Task<int> UploadAsync(CliArguments arguments)
    {
        var blob = await UploadCommand.RunAsync(arguments);
        Console.WriteLine(blob);
        Progress.MarkupLineInterpolated($"Uploaded to {blob}: a run starts within seconds; follow it at /api/runs?dataset={arguments.Required("dataset")}");
        return 0;
    }

    private static async Task<int> TrainAsync(CliArguments arguments, bool baseline)
    {
        var clock = Stopwatch.StartNew();
        var spec = arguments.Spec();
        if (baseline) spec = spec with { BudgetSeconds = BaselineBudgetSeconds };
        var data = arguments.Required("data");
        var output = arguments.Text("output") ?? "model.zip";
        var workDir = Path.Combine(Path.GetTempPath(), $"automl-{Guid.NewGuid():N}");
        try
        {
            // The baseline needs no cross-validation: one holdout fit to report on, then the refit on all rows.
            var engine = new AutoMlEngine(baseline ? new AutoMlOptions { HoldoutAboveRows = 0 } : null);
            var profile = engine.Prepare(data, spec, workDir);
            Progress.MarkupLineInterpolated(
                $"[grey]{profile.Rows} rows, label '{profile.Label}', {profile.Task}, metric {profile.Metric}, {profile.Schema.Columns.Count} feature columns[/]");
            var firstModel = new FirstModelWatch(new LoggingExecutor(new InProcessTrialExecutor(engine, workDir), Progress), clock);
            var trials = baseline
                ? [engine.RunTrial(workDir, new TrialConfig(1, "lightgbm", new Dictionary<string, double>()))]
                : await SearchLoop.RunAsync(profile, firstModel, () => DateTime.UtcNow);
            Progress.MarkupLineInterpolated($"[grey]search ended at {clock.Elapsed.TotalSeconds:0.0} s (prepare {profile.PrepareSeconds:0.0} s)[/]");
            var card = engine.Finish(workDir, trials, output);
            Progress.MarkupLineInterpolated($"[grey]model written at {clock.Elapsed.TotalSeconds:0.0} s[/]");
            var test = arguments.Text("test") is { } testPath ? Evaluate(output, testPath) : null;
            Report(card, test, clock.Elapsed.TotalSeconds, firstModel.Seconds, arguments.Flag("json"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, double> Evaluate(string modelPath, string testPath)
    {
        using var model = TrainedModel.Load(modelPath);
        return ModelEvaluation.Evaluate(model, testPath);
    }

    private static void Report(ModelCard card, IReadOnlyDictionary<string, double>? test, double seconds, double? firstModelSeconds, bool json)
    {
        var table = new Table().AddColumns("", "value");
        table.AddRow("cv " + card.Metric, $"{card.CvScore:0.#####}");
        foreach (var (metric, value) in test ?? new Dictionary<string, double>()) table.AddRow("test " + metric, $"{value:0.#####}");
        table.AddRow("best", Markup.Escape($"{card.Learner} {JsonSerializer.Serialize(card.Params)}"));
        table.AddRow("ensemble", Markup.Escape(string.Join(", ", card.Ensemble.Select(m => $"{m.TrialId}:{m.Learner}×{m.Weight}"))));
        table.AddRow("top features", Markup.Escape(string.Join(", ", card.FeatureImportance.Take(5).Select(f => $"{f.Column} {f.Importance:0.####}"))));
        table.AddRow("trials / seconds", $"{card.Trials} ({card.TrialsSucceeded} succeeded) / {seconds:0.0}");
        if (firstModelSeconds is { } firstAt) table.AddRow("first model at", $"{firstAt:0.0} s");
        table.AddRow("rows", $"{card.TrainedRows:N0} trained of {card.Rows:N0} prepared of {card.SourceRows:N0} in the file");
        foreach (var note in card.Notes) table.AddRow("note", Markup.Escape(note));
        Progress.Write(table);
        if (!json) return;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            task = card.Schema.Task.ToString().ToLowerInvariant(), metric = card.Metric, cvScore = card.CvScore, test,
            trials = card.Trials, trialsSucceeded = card.TrialsSucceeded, fallback = card.Fallback,
            best = new { learner = card.Learner, @params = card.Params }, ensemble = card.Ensemble,
            rows = new { source = card.SourceRows, prepared = card.Rows, trained = card.TrainedRows }, notes = card.Notes,
            seconds = Math.Round(seconds, 1), firstModelSeconds = firstModelSeconds is { } first ? Math.Round(first, 1) : (double?)null,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    /// <summary>When the first trial with a score came back (from the process's start): how soon a run has a model.</summary>
    private sealed class FirstModelWatch(ITrialExecutor inner, Stopwatch clock) : ITrialExecutor
    {
        public double? Seconds { get; private set; }

        public async Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            var results = await inner.RunAsync(trials);
            if (Seconds is null && results.Any(r => r.Scored)) Seconds = clock.Elapsed.TotalSeconds;
            return results;
        }
    }
}
