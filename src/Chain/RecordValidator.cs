using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>
/// A record in the model's own column names, complete, with the fields filled from training defaults; what of the
/// input the model does not read (Ignored) and values it did not see in training (Warnings).
/// </summary>
public sealed record ValidatedRecord(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Assumed)
{
    public IReadOnlyList<string> Ignored { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Checks a record against the schema: known columns, numbers that parse; fills the rest with training defaults.
/// Every column of the training file is accepted: the label and the columns the model dropped are ignored, so a row
/// copied from the file works; only names the file never had are an error.
/// </summary>
internal static class RecordValidator
{
    public static ValidatedRecord Validate(ColumnVocabulary vocabulary, IReadOnlyDictionary<string, string?> given)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var ignored = new List<string>();
        var unknown = new List<string>();
        var notNumbers = new List<string>();
        foreach (var (key, value) in given)
        {
            var column = vocabulary.Resolve(key);
            if (column is null && vocabulary.IsUnusedTrainingColumn(key)) ignored.Add(key);
            else if (column is null) unknown.Add(key);
            else if (string.IsNullOrWhiteSpace(value)) continue;
            else if (column.Kind == ColumnKind.Numeric && !IsModelNumber(value))
                notNumbers.Add(key);
            else values[column.Name] = KnownSpelling(column, value.Trim());
        }
        if (unknown.Count + notNumbers.Count > 0)
            throw new InvalidRecordException(Describe(unknown, notNumbers, vocabulary), [.. unknown, .. notNumbers]);

        var warnings = vocabulary.Inputs.Where(c => values.ContainsKey(c.Name))
            .Select(c => ValueWarnings.For(c, values[c.Name]!)).OfType<string>().ToArray();
        var assumed = vocabulary.Inputs.Where(c => !values.ContainsKey(c.Name)).Select(c => c.Name).ToArray();
        foreach (var column in vocabulary.Inputs.Where(c => !values.ContainsKey(c.Name)))
            values[column.Name] = column.Default;
        return new ValidatedRecord(values, assumed) { Ignored = ignored, Warnings = warnings };
    }

    /// <summary>A number the model can take: it parses, and is finite in the single precision models compute in.</summary>
    private static bool IsModelNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        && double.IsFinite(number) && Math.Abs(number) <= float.MaxValue;

    /// <summary>"month-to-month" is the model's "Month-to-month": categories are matched as training spelled them.</summary>
    private static string KnownSpelling(ModelColumn column, string value) =>
        column.Values?.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) ?? value;

    private static string Describe(List<string> unknown, List<string> notNumbers, ColumnVocabulary vocabulary)
    {
        var parts = new List<string>();
        if (unknown.Count > 0)
            parts.Add($"Unknown fields: {string.Join(", ", unknown)} (the model knows {string.Join(", ", vocabulary.Inputs.Select(c => c.Name))}).");
        if (notNumbers.Count > 0)
            parts.Add($"Not finite numbers: {string.Join(", ", notNumbers)}.");
        return string.Join(" ", parts);
    }
}
