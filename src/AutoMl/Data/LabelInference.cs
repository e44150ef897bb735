namespace Serverless.AutoMl.Data;

/// <summary>Which column is the label, what task it implies, and how its values become numbers.</summary>
internal static class LabelInference
{
    private static readonly string[] LabelNames = ["label", "target", "class", "y"];
    private const int MaxClasses = 200;
    private const int MaxIntegerClasses = 20;

    public static int FindLabel(IReadOnlyList<string> names, string? requested)
    {
        if (requested is not null)
        {
            var index = IndexOf(names, requested);
            return index >= 0 ? index : throw new InvalidDatasetException(
                $"The label column '{requested}' is not in the file. Columns: {string.Join(", ", names)}.");
        }
        return LabelNames.Select(n => IndexOf(names, n)).FirstOrDefault(i => i >= 0, names.Count - 1);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name) =>
        names.ToList().FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    public static MlTask InferTask(string label, IReadOnlyList<string> values, MlTask? requested)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
            throw new InvalidDatasetException($"The label '{label}' has a single value ('{distinct.FirstOrDefault()}'); there is nothing to learn.");
        var numeric = values.All(v => CellValues.TryNumber(v, out _));
        if (requested is { } task)
        {
            if (task == MlTask.Binary && distinct.Count != 2)
                throw new InvalidDatasetException($"Binary classification needs exactly 2 label values; '{label}' has {distinct.Count}.");
            if (task == MlTask.Regression && !numeric)
                throw new InvalidDatasetException($"Regression needs a numeric label; '{label}' has non-numeric values.");
            if (task == MlTask.Multiclass && distinct.Count > MaxClasses)
                throw new InvalidDatasetException($"The label '{label}' has {distinct.Count} values; at most {MaxClasses} classes are supported.");
            return task;
        }
        if (distinct.Count == 2) return MlTask.Binary;
        if (numeric)
        {
            var integers = values.All(v => CellValues.TryNumber(v, out var d) && d == Math.Floor(d));
            return integers && distinct.Count <= MaxIntegerClasses ? MlTask.Multiclass : MlTask.Regression;
        }
        if (distinct.Count > MaxClasses || distinct.Count > 0.5 * values.Count)
            throw new InvalidDatasetException(
                $"The label '{label}' has {distinct.Count} distinct text values in {values.Count} rows; it looks like an id or free text, not a class.");
        return MlTask.Multiclass;
    }

    /// <summary>Class names in the model's order. Binary: [negative, positive].</summary>
    public static IReadOnlyList<string> Classes(MlTask task, IReadOnlyList<string> values)
    {
        var counts = values.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var numeric = counts.Keys.All(v => CellValues.TryNumber(v, out _));
        var ordered = numeric
            ? counts.Keys.OrderBy(v => CellValues.TryNumber(v, out var d) ? d : 0).ToList()
            : counts.Keys.Order(StringComparer.Ordinal).ToList();
        if (task != MlTask.Binary || numeric) return ordered;
        // Positive class: the "true"-like value, else the minority class.
        var positive = ordered.FirstOrDefault(v => CellValues.TryBoolean(v, out var b) && b)
                       ?? ordered.OrderBy(v => counts[v]).ThenByDescending(v => v, StringComparer.Ordinal).First();
        return [ordered.First(v => v != positive), positive];
    }
}
