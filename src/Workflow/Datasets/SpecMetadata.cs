using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// A dataset spec as blob metadata (<c>label</c>, <c>task</c>, <c>metric</c>, <c>budgetseconds</c>, <c>seed</c>,
/// <c>paralleltrials</c>, <c>datafiles</c>), both ways: what an uploader writes and what the pipeline reads back.
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

    private static string? Text(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int? Number(Dictionary<string, string> metadata, string key) => Text(metadata, key) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        var text => throw new InvalidDatasetException($"Blob metadata {key}='{text}' is not a positive whole number."),
    };
}
