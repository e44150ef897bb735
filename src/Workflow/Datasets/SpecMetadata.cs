using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// A dataset spec as blob metadata (<c>label</c>, <c>task</c>, <c>metric</c>, <c>budgetseconds</c>, <c>seed</c>,
/// <c>paralleltrials</c>, <c>datafiles</c>; for <c>task=forecast</c> also <c>timecolumn</c>, <c>horizon</c>,
/// <c>seriescolumn</c> and <c>knowncolumns</c>, a comma list), both ways: what an uploader writes and what the pipeline
/// reads back. The API's upload takes the same names as query parameters.
/// </summary>
public static class SpecMetadata
{
    public const string Label = "label";
    public const string Task = "task";
    public const string Metric = "metric";
    public const string BudgetSeconds = "budgetseconds";
    public const string Seed = "seed";
    public const string ParallelTrials = "paralleltrials";
    public const string DataFiles = "datafiles";
    public const string TimeColumn = "timecolumn";
    public const string Horizon = "horizon";
    public const string SeriesColumn = "seriescolumn";
    public const string KnownColumns = "knowncolumns";

    /// <summary>The task names a spec takes, in the enum's order: "binary, multiclass, regression, forecast".</summary>
    public static string TaskNames { get; } = string.Join(", ", Enum.GetValues<MlTask>().Select(Name));

    /// <summary>The spec's fields that are set, as metadata.</summary>
    public static Dictionary<string, string> From(DatasetSpec spec)
    {
        var metadata = new Dictionary<string, string>();
        var training = spec.Training;
        if (training.Label is { } label) metadata[Label] = label;
        if (training.Task is { } task) metadata[Task] = Name(task);
        if (training.Metric is { } metric) metadata[Metric] = metric;
        if (training.BudgetSeconds is { } budget) metadata[BudgetSeconds] = budget.ToString(CultureInfo.InvariantCulture);
        if (training.Seed is { } seed) metadata[Seed] = seed.ToString(CultureInfo.InvariantCulture);
        if (training.ParallelTrials is { } parallel) metadata[ParallelTrials] = parallel.ToString(CultureInfo.InvariantCulture);
        if (training.TimeColumn is { } time) metadata[TimeColumn] = time;
        if (training.Horizon is { } horizon) metadata[Horizon] = horizon.ToString(CultureInfo.InvariantCulture);
        if (training.SeriesColumn is { } series) metadata[SeriesColumn] = series;
        if (training.KnownColumns is { Count: > 0 } known) metadata[KnownColumns] = string.Join(",", known);
        if (spec.DataFiles is { } files) metadata[DataFiles] = Name(files);
        return metadata;
    }

    /// <summary>Reads a spec from metadata (keys in any case); a value that does not parse is an InvalidDatasetException.</summary>
    public static DatasetSpec Read(IDictionary<string, string> metadata)
    {
        var values = new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase);
        return new DatasetSpec
        {
            Training = new TrainingSpec
            {
                Label = Text(values, Label),
                Metric = Text(values, Metric),
                Task = Text(values, Task) is { } task ? Choice<MlTask>(task, $"Blob metadata {Task}") : null,
                BudgetSeconds = Number(values, BudgetSeconds),
                Seed = Number(values, Seed),
                ParallelTrials = Number(values, ParallelTrials),
                TimeColumn = Text(values, TimeColumn),
                Horizon = Number(values, Horizon),
                SeriesColumn = Text(values, SeriesColumn),
                KnownColumns = Text(values, KnownColumns) is { } known ? List(known) : null,
            },
            DataFiles = Text(values, DataFiles) is { } files ? Choice<DataFiles>(files, $"Blob metadata {DataFiles}") : null,
        };
    }

    /// <summary>One of an enum's names, in any case (not its number); an InvalidDatasetException naming <paramref name="source"/> otherwise.</summary>
    public static T Choice<T>(string text, string source) where T : struct, Enum =>
        Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var parsed) && !int.TryParse(text, out _)
            ? parsed
            : throw new InvalidDatasetException($"{source}='{text}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(Name))}.");

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

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
