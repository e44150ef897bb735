using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// A training spec as blob metadata (<c>label</c>, <c>task</c>, <c>metric</c>, <c>budgetseconds</c>, <c>seed</c>,
/// <c>paralleltrials</c>; for <c>task=forecast</c> also <c>timecolumn</c>, <c>horizon</c>, <c>seriescolumn</c> and
/// <c>knowncolumns</c>, a comma list), both ways: what an uploader writes and what the pipeline reads back. The API's
/// upload takes the same names as query parameters.
/// </summary>
public static class SpecMetadata
{
    public const string Label = "label";
    public const string Task = "task";
    public const string Metric = "metric";
    public const string BudgetSeconds = "budgetseconds";
    public const string Seed = "seed";
    public const string ParallelTrials = "paralleltrials";
    public const string TimeColumn = "timecolumn";
    public const string Horizon = "horizon";
    public const string SeriesColumn = "seriescolumn";
    public const string KnownColumns = "knowncolumns";

    /// <summary>The task names a spec takes, in the enum's order: "binary, multiclass, regression, forecast".</summary>
    public static string TaskNames { get; } = string.Join(", ", Enum.GetNames<MlTask>().Select(n => n.ToLowerInvariant()));

    /// <summary>The spec's fields that are set, as metadata.</summary>
    public static Dictionary<string, string> From(TrainingSpec spec)
    {
        var metadata = new Dictionary<string, string>();
        if (spec.Label is { } label) metadata[Label] = label;
        if (spec.Task is { } task) metadata[Task] = task.ToString().ToLowerInvariant();
        if (spec.Metric is { } metric) metadata[Metric] = metric;
        if (spec.BudgetSeconds is { } budget) metadata[BudgetSeconds] = budget.ToString(CultureInfo.InvariantCulture);
        if (spec.Seed is { } seed) metadata[Seed] = seed.ToString(CultureInfo.InvariantCulture);
        if (spec.ParallelTrials is { } parallel) metadata[ParallelTrials] = parallel.ToString(CultureInfo.InvariantCulture);
        if (spec.TimeColumn is { } time) metadata[TimeColumn] = time;
        if (spec.Horizon is { } horizon) metadata[Horizon] = horizon.ToString(CultureInfo.InvariantCulture);
        if (spec.SeriesColumn is { } series) metadata[SeriesColumn] = series;
        if (spec.KnownColumns is { Count: > 0 } known) metadata[KnownColumns] = string.Join(",", known);
        return metadata;
    }

    /// <summary>Reads a spec from metadata (keys in any case); a value that does not parse is an InvalidDatasetException.</summary>
    public static TrainingSpec Read(IDictionary<string, string> metadata)
    {
        var values = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        return new TrainingSpec
        {
            Label = Text(values, Label),
            Metric = Text(values, Metric),
            Task = Text(values, Task) is { } task
                ? Enum.TryParse<MlTask>(task, ignoreCase: true, out var parsed) && !int.TryParse(task, out _)
                    ? parsed
                    : throw new InvalidDatasetException($"Blob metadata task='{task}' is not one of {TaskNames}.")
                : null,
            BudgetSeconds = Number(values, BudgetSeconds),
            Seed = Number(values, Seed),
            ParallelTrials = Number(values, ParallelTrials),
            TimeColumn = Text(values, TimeColumn),
            Horizon = Number(values, Horizon),
            SeriesColumn = Text(values, SeriesColumn),
            KnownColumns = Text(values, KnownColumns) is { } known ? List(known) : null,
        };
    }

    /// <summary>A comma list of column names ("promo, holiday"), as metadata and command lines write them.</summary>
    public static IReadOnlyList<string> List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Text(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int? Number(Dictionary<string, string> metadata, string key) => Text(metadata, key) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        var text => throw new InvalidDatasetException($"Blob metadata {key}='{text}' is not a positive whole number."),
    };
}
