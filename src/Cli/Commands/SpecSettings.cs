using System.ComponentModel;
using Serverless.AutoMl;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

/// <summary>The training spec options shared by train and upload; unset options are inferred.</summary>
public class SpecSettings : CommandSettings
{
    [CommandOption("--label <COLUMN>"), Description("The column to predict (default: label/target/class/y, else the last column).")]
    public string? Label { get; init; }

    [CommandOption("--task <TASK>"), Description("binary, multiclass or regression (default: inferred from the label); upload also takes forecast.")]
    public MlTask? Task { get; init; }

    [CommandOption("--metric <METRIC>"), Description("The metric to optimize, e.g. auc, f1, logloss, microAccuracy, rmse, mae (default: per task).")]
    public string? Metric { get; init; }

    [CommandOption("--budget-seconds <SECONDS>"), Description("Wall-clock budget of the whole training (default: 120).")]
    public int? BudgetSeconds { get; init; }

    [CommandOption("--seed <SEED>"), Description("Search seed: the same seed, data and trial results give the same proposals.")]
    public int? Seed { get; init; }

    [CommandOption("--parallel-trials <COUNT>"), Description("Trials to run at once (default: the machine's cores).")]
    public int? ParallelTrials { get; init; }

    public virtual TrainingSpec Spec() => new()
    {
        Label = Label, Task = Task, Metric = Metric, BudgetSeconds = BudgetSeconds, Seed = Seed, ParallelTrials = ParallelTrials,
    };
}
