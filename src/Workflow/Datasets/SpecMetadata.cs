using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// A training spec as blob metadata (<c>label</c>, <c>task</c>, <c>metric</c>, <c>budgetseconds</c>, <c>seed</c>,
/// <c>paralleltrials</c>), both ways: what an uploader writes and what the pipeline reads back.
/// </summary>
public static class SpecMetadata
{
    public const string Label = "label";
    public const string Task = "task";
    public const string Metric = "metric";
    public const string BudgetSeconds = "budgetseconds";
    public const string Seed = "seed";
    public const string ParallelTrials = "paralleltrials";

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
                    : throw new InvalidDatasetException($"Blob metadata task='{task}' is not one of binary, multiclass, regression.")
                : null,
            BudgetSeconds = Number(values, BudgetSeconds),
            Seed = Number(values, Seed),
            ParallelTrials = Number(values, ParallelTrials),
        };
    }

    private static string? Text(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int? Number(Dictionary<string, string> metadata, string key) => Text(metadata, key) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        var text => throw new InvalidDatasetException($"Blob metadata {key}='{text}' is not a positive whole number."),
    };
}
