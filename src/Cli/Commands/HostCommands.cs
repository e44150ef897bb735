using System.ComponentModel;
using Serverless.Workflow.Api;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

public sealed class RunsSettings : HostSettings
{
    [CommandArgument(0, "[RUN]"), Description("A run id: show that run instead of listing.")]
    public string? Run { get; init; }

    [CommandOption("--dataset <NAME>"), Description("List only this dataset's runs.")]
    public string? Dataset { get; init; }

    [CommandOption("--watch"), Description("With a run id: follow it until it ends (exit code 1 if it does not succeed).")]
    public bool Watch { get; init; }
}

/// <summary>`runs`: recent runs, or one run (followed with --watch).</summary>
public sealed class RunsCommand : AsyncCommand<RunsSettings>
{
    private static readonly TimeSpan WatchEvery = TimeSpan.FromSeconds(1);

    public override async Task<int> ExecuteAsync(CommandContext context, RunsSettings settings, CancellationToken cancellationToken)
    {
        using var host = new HostClient(settings);
        if (settings.Run is null)
        {
            var list = await host.GetAsync<RunList>(settings.Dataset is { } d ? $"runs?dataset={Uri.EscapeDataString(d)}" : "runs", cancellationToken);
            var table = new Table().AddColumns("run", "started", "status", "model", "score", "error");
            foreach (var run in list.Runs)
                table.AddRow(Markup.Escape(run.InstanceId), $"{run.StartedAt:u}", Name(run.Status), run.ModelVersion ?? "", $"{run.CvScore:0.####}",
                    Markup.Escape(run.Error ?? ""));
            CliApp.Results.Write(table);
            return (int)ExitCode.Ok;
        }
        var state = await host.GetAsync<RunState>($"runs/{Uri.EscapeDataString(settings.Run)}", cancellationToken);
        while (settings.Watch && state.IsActive)
        {
            if (state.Progress is { } p)
                CliApp.Messages.WriteLine($"{Name(p.Stage)}: {p.TrialsDone} trials, best {p.Metric} {p.BestScore:0.#####} ({p.BestLearner}), {p.ElapsedSeconds:0}/{p.BudgetSeconds:0} s");
            await Task.Delay(WatchEvery, cancellationToken);
            state = await host.GetAsync<RunState>($"runs/{Uri.EscapeDataString(settings.Run)}", cancellationToken);
        }
        Show(state);
        return state.Report is { Status: not RunStatus.Succeeded } && !state.IsActive ? (int)ExitCode.Failed : (int)ExitCode.Ok;
    }

    private static void Show(RunState state)
    {
        var report = state.Report;
        var table = new Table().AddColumns("", "value");
        table.AddRow("run", Markup.Escape(state.InstanceId));
        table.AddRow("status", report is null ? state.RuntimeStatus.ToString() : Name(report.Status));
        if (report?.ModelVersion is { } version)
            table.AddRow("model", $"{version} ({(report.Promoted ? "champion" : Markup.Escape(report.PromotionReason ?? "not promoted"))})");
        if (report?.CvScore is { } score) table.AddRow("cv " + report.Metric, $"{score:0.#####}");
        if (report is not null) table.AddRow("trials / seconds", $"{report.Trials} ({report.TrialsFailed} failed) / {report.Seconds:0}");
        if ((report?.Error ?? state.Failure) is { } error) table.AddRow("error", Markup.Escape(error));
        CliApp.Results.Write(table);
    }

    internal static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();
}

public sealed class DatasetSettings : HostSettings
{
    [CommandArgument(0, "<DATASET>"), Description("The dataset.")]
    public string Dataset { get; init; } = "";
}

/// <summary>`models`: a dataset's versions, the live one marked.</summary>
public sealed class ModelsCommand : AsyncCommand<DatasetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DatasetSettings settings, CancellationToken cancellationToken)
    {
        using var host = new HostClient(settings);
        var models = await host.GetAsync<ModelList>($"models/{Uri.EscapeDataString(settings.Dataset)}", cancellationToken);
        var table = new Table().AddColumns("", "version", "created", "metric", "cv score", "learner", "ensemble");
        foreach (var card in models.Versions)
            table.AddRow(card.Version == models.Champion?.Version ? "live" : "", card.Version ?? "", $"{card.CreatedAt:u}", card.Metric,
                $"{card.CvScore:0.#####}", card.Learner, card.Ensemble.Count > 0 ? $"{card.Ensemble.Count} members" : "");
        CliApp.Results.Write(table);
        return (int)ExitCode.Ok;
    }
}

public sealed class PromoteSettings : HostSettings
{
    [CommandArgument(0, "<DATASET>"), Description("The dataset.")]
    public string Dataset { get; init; } = "";

    [CommandArgument(1, "<VERSION>"), Description("The version to make live (cli models lists them).")]
    public string Version { get; init; } = "";
}

/// <summary>`promote`: any version becomes the champion.</summary>
public sealed class PromoteCommand : AsyncCommand<PromoteSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PromoteSettings settings, CancellationToken cancellationToken) =>
        await ChampionCommand.ChangeAsync(settings,
            $"models/{Uri.EscapeDataString(settings.Dataset)}/versions/{Uri.EscapeDataString(settings.Version)}/promote", cancellationToken);
}

/// <summary>`rollback`: the previous champion is live again.</summary>
public sealed class RollbackCommand : AsyncCommand<DatasetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DatasetSettings settings, CancellationToken cancellationToken) =>
        await ChampionCommand.ChangeAsync(settings, $"models/{Uri.EscapeDataString(settings.Dataset)}/rollback", cancellationToken);
}

internal static class ChampionCommand
{
    public static async Task<int> ChangeAsync(HostSettings settings, string path, CancellationToken ct)
    {
        using var host = new HostClient(settings);
        var changed = await host.PostAsync<ChampionChanged>(path, null, ct);
        CliApp.Results.MarkupLineInterpolated($"{changed.Dataset}: {changed.Champion.Version} is live (previous: {changed.Champion.PreviousVersion ?? "none"})");
        return (int)ExitCode.Ok;
    }
}

public sealed class CancelSettings : HostSettings
{
    [CommandArgument(0, "<RUN>"), Description("The run to stop.")]
    public string Run { get; init; } = "";
}

/// <summary>`cancel`: stops a run that is still going.</summary>
public sealed class CancelCommand : AsyncCommand<CancelSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancelSettings settings, CancellationToken cancellationToken)
    {
        using var host = new HostClient(settings);
        var state = await host.PostAsync<RunState>($"runs/{Uri.EscapeDataString(settings.Run)}/cancel", null, cancellationToken);
        CliApp.Results.WriteLine($"{state.InstanceId}: {(state.Report is { } r ? RunsCommand.Name(r.Status) : "stopping")}");
        return (int)ExitCode.Ok;
    }
}
