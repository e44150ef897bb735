using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Serverless.AutoMl;
using Serverless.AutoMl.Search;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

public sealed class TrainSettings : SpecSettings
{
    [CommandOption("--data <FILE>"), Description("The training file (.csv, .tsv or .txt; separator and header are detected).")]
    public string Data { get; init; } = "";

    [CommandOption("--test <FILE>"), Description("A held-out file shaped like the training file: every metric is reported on it.")]
    public string? Test { get; init; }

    [CommandOption("--output <FILE>"), Description("Where the model package goes.")]
    [DefaultValue("model.zip")]
    public string Output { get; init; } = "model.zip";

    [CommandOption("--json"), Description("Also print one JSON summary as the last line of stdout.")]
    public bool Json { get; init; }

    [CommandOption("--trials <FILE>"), Description("Also write every trial the search ran (learner, parameters, status, score, seconds) as JSON, to see why a search went as it did.")]
    public string? Trials { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data is required.")
        : !File.Exists(Data) ? ValidationResult.Error($"{Data} does not exist.")
        : ValidationResult.Success();
}

/// <summary>`train`: the AutoML search in this process, with a live progress bar on a terminal.</summary>
public class TrainCommand : AsyncCommand<TrainSettings>
{
    /// <summary>Whether this is the baseline (one LightGbm fit with ML.NET's defaults) instead of the search.</summary>
    protected virtual bool Baseline => false;

    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var spec = Baseline ? settings.Spec() with { BudgetSeconds = BaselineBudgetSeconds } : settings.Spec();
        var workDir = Path.Combine(Path.GetTempPath(), $"automl-{Guid.NewGuid():N}");
        var messages = CliApp.Messages;
        try
        {
            // The baseline needs no cross-validation: one holdout fit to report on, then the refit on all rows.
            var engine = new AutoMlEngine(Baseline ? new AutoMlOptions { HoldoutAboveRows = 0 } : null);
            var profile = engine.Prepare(settings.Data, spec, workDir);
            messages.MarkupLineInterpolated(
                $"[grey]{profile.Rows} rows, label '{profile.Label}', {profile.Task}, metric {profile.Metric}, {profile.Schema.Columns.Count} feature columns[/]");
            // When the first trial with a score came back: how soon a run has a model.
            double? firstModelSeconds = null;
            var search = Baseline
                ? new SearchState
                {
                    StartedAt = DateTime.UtcNow,
                    History = [engine.RunTrial(workDir, new TrialConfig(1, "lightgbm", new Dictionary<string, double>()), cancellationToken)],
                }
                : await TrainingProgress.ShowAsync(messages, profile, onProgress =>
                    SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, workDir, cancellationToken), () => DateTime.UtcNow,
                        new SearchOptions(), resume: null, progress =>
                        {
                            if (firstModelSeconds is null && progress.BestScore is not null) firstModelSeconds = clock.Elapsed.TotalSeconds;
                            onProgress(progress);
                        }));
            var trials = search.History;
            if (settings.Trials is { } trialsPath) await File.WriteAllTextAsync(trialsPath, JsonSerializer.Serialize(trials, WebJson), cancellationToken);
            // The reserve the search left Finish against what Finish took: the evidence its margin is sized by.
            var reserve = FinishReserve.Seconds(profile, trials);
            var planned = FinishReserve.Estimate(profile, trials);
            messages.MarkupLineInterpolated(
                $"[grey]search ended at {clock.Elapsed.TotalSeconds:0.0} s (prepare {profile.PrepareSeconds:0.0} s); Finish reserve {reserve:0.0} s: the lead's refit work estimated at {planned.Work:0.0} s (on {planned.Rows:N0} of {profile.Rows:N0} rows: featurizing {planned.FeaturizeSeconds:0.00} s, refit {planned.RefitSeconds:0.00} s), {planned.FloorWork:0.0} s on its training rows before the safety margin, importance {planned.ImportanceSeconds:0.00} s and the end margin, within {FinishReserve.MinShare:P0}-{FinishReserve.MaxShare:P0} of the search[/]");
            // Which learners the search spent its trials on (the kept history: all of them unless past its cap).
            messages.MarkupLineInterpolated(
                $"[grey]trials per learner: {string.Join(", ", trials.GroupBy(t => t.Learner).Select(g => $"{g.Key} {g.Count()} ({g.Count(t => t.Scored)} scored)"))}[/]");
            var finishStarted = clock.Elapsed.TotalSeconds;
            var card = engine.Finish(workDir, trials, settings.Output, cancellationToken, search.Counts);
            messages.MarkupLineInterpolated($"[grey]model written at {clock.Elapsed.TotalSeconds:0.0} s (Finish took {clock.Elapsed.TotalSeconds - finishStarted:0.0} s, refit on {card.TrainedRows:N0} rows): {settings.Output}[/]");
            var test = settings.Test is { } testPath ? Evaluate(settings.Output, testPath) : null;
            Report(card, test, clock.Elapsed.TotalSeconds, firstModelSeconds, settings.Json);
            return (int)ExitCode.Ok;
        }
        finally
        {
            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        }
    }

    /// <summary>camelCase JSON, as a script reading the summary and the trials expects.</summary>
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    /// <summary>The baseline trains once without a search, so it gets a budget that never times it out.</summary>
    private const int BaselineBudgetSeconds = 3600;

    private static IReadOnlyDictionary<string, double> Evaluate(string modelPath, string testPath)
    {
        using var model = TrainedModel.Load(modelPath);
        return ModelEvaluation.Evaluate(model, testPath);
    }

    /// <summary>The results table on stdout; with --json one JSON line after it.</summary>
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
        if (card.FinishTimes is { } f)
            table.AddRow("finish", $"featurized {f.Rows:N0} rows in {f.FeaturizeSeconds:0.0} s (planned {f.PlannedFeaturizeSeconds:0.0}), " +
                                   $"refit in {f.RefitSeconds:0.0} s (planned {f.PlannedRefitSeconds:0.0})");
        CliApp.Results.Write(table);
        if (!json) return;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            task = card.Schema.Task.ToString().ToLowerInvariant(), metric = card.Metric, cvScore = card.CvScore, test,
            trials = card.Trials, trialsSucceeded = card.TrialsSucceeded, fallback = card.Fallback,
            best = new { learner = card.Learner, @params = card.Params }, ensemble = card.Ensemble,
            rows = new { source = card.SourceRows, prepared = card.Rows, trained = card.TrainedRows }, notes = card.Notes, finishTimes = card.FinishTimes,
            seconds = Math.Round(seconds, 1), firstModelSeconds = firstModelSeconds is { } first ? Math.Round(first, 1) : (double?)null,
        }, WebJson));
    }
}

/// <summary>`baseline`: ML.NET LightGbm with its defaults on the same features.</summary>
public sealed class BaselineCommand : TrainCommand
{
    protected override bool Baseline => true;
}
