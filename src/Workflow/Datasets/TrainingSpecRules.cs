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
            throw new InvalidDatasetException($"{source}: task={(int)task} is not one of binary, multiclass, regression.");
    }
}
