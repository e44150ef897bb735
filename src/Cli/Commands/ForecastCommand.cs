using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

public sealed class ForecastSettings : CommandSettings
{
    [CommandOption("--data <FILE>"), Description("The series (.csv, .tsv or .txt): a date column, the value, optionally a series column and other columns.")]
    public string Data { get; init; } = "";

    [CommandOption("--horizon <STEPS>"), Description("Steps to forecast and to backtest on (default: per frequency, e.g. 12 for monthly, 14 for daily).")]
    public int? Horizon { get; init; }

    [CommandOption("--time <COLUMN>"), Description("The date column (default: the one column holding dates).")]
    public string? Time { get; init; }

    [CommandOption("--target <COLUMN>"), Description("The column to forecast (default: target/y/value/label, else the last numeric column that is not a known column or a 0/1 flag).")]
    public string? Target { get; init; }

    [CommandOption("--series <COLUMN>"), Description("The column naming each series when the file holds several (long format).")]
    public string? Series { get; init; }

    [CommandOption("--known <COLUMNS>"), Description("Comma-separated columns known in advance (calendar-like, planned events); others are used only up to the forecast origin.")]
    public string? Known { get; init; }

    [CommandOption("--frequency <FREQUENCY>"), Description("hourly, daily, businessDaily, weekly, monthly, quarterly or yearly (default: detected).")]
    public SeriesFrequency? Frequency { get; init; }

    [CommandOption("--budget-seconds <SECONDS>"), Description("Wall-clock budget of the whole training (default: 120).")]
    public int? BudgetSeconds { get; init; }

    [CommandOption("--seed <SEED>"), Description("Search seed: the same seed, data and results give the same candidates.")]
    public int? Seed { get; init; }

    [CommandOption("--parallel <COUNT>"), Description("Candidates to backtest at once (default: the machine's cores).")]
    public int? Parallel { get; init; }

    [CommandOption("--steps <STEPS>"), Description("Steps to forecast after training (default: the horizon; more is recursive, with a warning).")]
    public int? Steps { get; init; }

    [CommandOption("--output <FILE>"), Description("Where to write the forecaster package (default: not kept).")]
    public string? Output { get; init; }

    [CommandOption("--json"), Description("Also print one JSON summary (profile, card, forecasts) as the last line of stdout.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data is required.")
        : !File.Exists(Data) ? ValidationResult.Error($"{Data} does not exist.")
        : ValidationResult.Success();

    public ForecastSpec Spec() => new()
    {
        TimeColumn = Time, Target = Target, Horizon = Horizon, SeriesColumn = Series, Frequency = Frequency,
        KnownColumns = Known is null ? [] : SpecMetadata.List(Known),
        BudgetSeconds = BudgetSeconds, Seed = Seed, ParallelCandidates = Parallel,
    };
}

/// <summary>`forecast`: trains a forecaster on a series within a budget, prints its backtest and its forecast of every series.</summary>
public sealed class ForecastCommand : AsyncCommand<ForecastSettings>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public override async Task<int> ExecuteAsync(CommandContext context, ForecastSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var workDir = Path.Combine(Path.GetTempPath(), $"forecast-{Guid.NewGuid():N}");
        var packagePath = settings.Output ?? Path.Combine(workDir, "forecaster.zip");
        var messages = CliApp.Messages;
        try
        {
            var engine = new ForecastEngine();
            var profile = engine.Prepare(settings.Data, settings.Spec(), workDir);
            messages.MarkupLineInterpolated(
                $"[grey]{profile.Series.Count} series of '{profile.Target}' by '{profile.TimeColumn}', {profile.Frequency} (season {profile.SeasonalPeriod}), horizon {profile.Horizon}, {profile.Folds} backtest folds[/]");
            foreach (var note in profile.Notes) messages.MarkupLineInterpolated($"[grey]{note}[/]");
            double? best = null;
            var results = await ForecastSearch.RunAsync(profile, new InProcessCandidateExecutor(engine, workDir, cancellationToken), () => DateTime.UtcNow, p =>
            {
                if (p.BestScore == best) return;
                best = p.BestScore;
                messages.MarkupLineInterpolated($"[grey]{p.TrialsDone} candidates, best MASE {p.BestScore:0.####} ({p.BestLearner}), {p.ElapsedSeconds:0}/{p.BudgetSeconds:0} s[/]");
            });
            var card = engine.Finish(workDir, results, packagePath, cancellationToken);
            var forecaster = Forecaster.Load(packagePath);
            var steps = settings.Steps ?? profile.Horizon;
            var forecasts = card.Input.Series.Select(s => forecaster.Forecast(steps, s.Id)).ToList();
            Report(card, forecasts, clock.Elapsed.TotalSeconds);
            if (settings.Output is not null) messages.MarkupLineInterpolated($"[grey]forecaster written: {settings.Output}[/]");
            if (settings.Json)
                Console.WriteLine(JsonSerializer.Serialize(new { profile, card, forecasts, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) }, Json));
            return (int)ExitCode.Ok;
        }
        finally
        {
            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        }
    }

    /// <summary>The backtest (final forecast, seasonal naive, leaderboard) and each series' forecast, as tables on stdout.</summary>
    private static void Report(ForecastCard card, IReadOnlyList<SeriesForecast> forecasts, double seconds)
    {
        var results = CliApp.Results;
        var backtest = new Table().AddColumns("backtest", "MAE", "RMSE", "sMAPE %", "MASE");
        void Row(string name, ForecastMetrics m) =>
            backtest.AddRow(Markup.Escape(name), $"{m.Mae:0.###}", $"{m.Rmse:0.###}", $"{m.Smape:0.##}", $"{m.Mase:0.####}");
        Row("final: " + card.Description, card.Backtest);
        if (card.SeasonalNaiveBacktest is { } naive) Row("seasonal naive", naive);
        results.Write(backtest);
        results.MarkupLineInterpolated(
            $"{card.Folds} folds; interval coverage on the backtest (leave one fold out): 80% → {Percent(card.Coverage.Coverage80)}, 95% → {Percent(card.Coverage.Coverage95)}; {card.Candidates} candidates in {seconds:0.0} s");
        var leaderboard = new Table().AddColumns("#", "candidate", "MASE", "seconds");
        foreach (var entry in card.Leaderboard)
            leaderboard.AddRow($"{entry.CandidateId}", Markup.Escape(entry.Method), $"{entry.Mase:0.####}", $"{entry.Seconds:0.0}");
        results.Write(leaderboard);
        foreach (var forecast in forecasts)
        {
            var table = new Table().Title(Markup.Escape(forecast.Series ?? card.Target)).AddColumns("time", "forecast", "lo80", "hi80", "lo95", "hi95");
            foreach (var p in forecast.Points)
                table.AddRow($"{p.Timestamp:yyyy-MM-dd HH:mm}".Replace(" 00:00", ""), $"{p.Forecast:0.###}", $"{p.Lo80:0.###}", $"{p.Hi80:0.###}", $"{p.Lo95:0.###}", $"{p.Hi95:0.###}");
            results.Write(table);
            foreach (var warning in forecast.Warnings) CliApp.Messages.MarkupLineInterpolated($"[yellow]{warning}[/]");
        }
    }

    private static string Percent(double? share) => share is { } s ? $"{100 * s:0.#}%" : "not measured (one fold)";
}
