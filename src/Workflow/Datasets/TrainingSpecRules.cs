using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// The bounds a dataset spec must keep, wherever it comes from (blob metadata, the sidecar, app settings): a value
/// outside them fails the run with a reason the uploader sees, instead of training on something else or crashing.
/// </summary>
public static class TrainingSpecRules
{
    public const int MinBudgetSeconds = 5;
    public const int MaxBudgetSeconds = 24 * 3600;
    public const int MaxParallelTrials = 64;
    /// <summary>Steps a forecast may be asked for: the backtest needs several horizons of history, and far beyond this nothing is learned.</summary>
    public const int MaxHorizon = 1000;

    /// <summary>Throws InvalidDatasetException naming the field, its value and the bounds, and where it came from.</summary>
    public static DatasetSpec Validate(DatasetSpec spec, string source)
    {
        Validate(spec.Training, source);
        if (spec.DataFiles is { } files && !Enum.IsDefined(files))
            throw new InvalidDatasetException($"{source}: dataFiles={(int)files} is not one of append, replace.");
        return spec;
    }

    private static void Validate(TrainingSpec spec, string source)
    {
        if (spec.BudgetSeconds is { } budget and (< MinBudgetSeconds or > MaxBudgetSeconds))
            throw new InvalidDatasetException($"{source}: budgetSeconds={budget} is outside {MinBudgetSeconds}..{MaxBudgetSeconds} seconds.");
        if (spec.ParallelTrials is { } parallel and (< 1 or > MaxParallelTrials))
            throw new InvalidDatasetException($"{source}: parallelTrials={parallel} is outside 1..{MaxParallelTrials}.");
        if (spec.Seed is < 0)
            throw new InvalidDatasetException($"{source}: seed={spec.Seed} must not be negative.");
        if (spec.Label is { } label && string.IsNullOrWhiteSpace(label))
            throw new InvalidDatasetException($"{source}: label is empty.");
        if (spec.Task is { } task && !Enum.IsDefined(task))
            throw new InvalidDatasetException($"{source}: task={(int)task} is not one of {SpecMetadata.TaskNames}.");
        if (spec.Horizon is { } horizon and (< 1 or > MaxHorizon))
            throw new InvalidDatasetException($"{source}: horizon={horizon} is outside 1..{MaxHorizon} steps.");
        if (new[] { spec.TimeColumn, spec.SeriesColumn }.Concat(spec.KnownColumns ?? []).Any(c => c is not null && string.IsNullOrWhiteSpace(c)))
            throw new InvalidDatasetException($"{source}: a column name (timeColumn, seriesColumn or knownColumns) is empty.");
    }

    /// <summary>
    /// <see cref="Validate"/>, and what only the whole spec can tell: the forecast settings are given with
    /// task=forecast, since a forecast is never inferred (a date column alone does not make one), and a forecast's metric.
    /// </summary>
    public static DatasetSpec ValidateResolved(DatasetSpec resolved, string source)
    {
        Validate(resolved, source);
        var spec = resolved.Training;
        string?[] forecastOnly =
        [
            spec.TimeColumn is null ? null : SpecMetadata.TimeColumn, spec.Horizon is null ? null : SpecMetadata.Horizon,
            spec.SeriesColumn is null ? null : SpecMetadata.SeriesColumn, spec.KnownColumns is null ? null : SpecMetadata.KnownColumns,
        ];
        if (spec.Task != MlTask.Forecast && forecastOnly.OfType<string>().ToList() is { Count: > 0 } given)
            throw new InvalidDatasetException(
                $"{string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} only to forecasts, and a forecast is asked for with task=forecast " +
                $"(it is never inferred){(spec.Task is { } task ? $"; this spec's task is {task.ToString().ToLowerInvariant()}" : "")}.");
        // A forecast ranks by MASE; any other metric asked for is refused with the one it takes.
        if (spec.Task == MlTask.Forecast)
            MetricCatalog.Resolve(MlTask.Forecast, spec.Metric);
        return resolved;
    }
}
