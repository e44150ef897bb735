using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>A record in the model's own column names, complete, with the fields filled from training defaults.</summary>
public sealed record ValidatedRecord(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Assumed);

/// <summary>Checks a record against the schema: known columns, numbers that parse; fills the rest with training defaults.</summary>
internal static class RecordValidator
{
    public static ValidatedRecord Validate(ColumnVocabulary vocabulary, IReadOnlyDictionary<string, string?> given)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var notNumbers = new List<string>();
        foreach (var (key, value) in given)
        {
            if (vocabulary.IsLabel(key)) continue; // a row copied from the training file carries its label
            var column = vocabulary.Resolve(key);
            if (column is null) unknown.Add(key);
            else if (string.IsNullOrWhiteSpace(value)) continue;
            else if (column.Kind == ColumnKind.Numeric && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                notNumbers.Add(key);
            else values[column.Name] = value.Trim();
        }
        if (unknown.Count + notNumbers.Count > 0)
            throw new InvalidRecordException(Describe(unknown, notNumbers, vocabulary), [.. unknown, .. notNumbers]);

        var assumed = vocabulary.Inputs.Where(c => !values.ContainsKey(c.Name)).Select(c => c.Name).ToArray();
        foreach (var column in vocabulary.Inputs.Where(c => !values.ContainsKey(c.Name)))
            values[column.Name] = column.Default;
        return new ValidatedRecord(values, assumed);
    }

    private static string Describe(List<string> unknown, List<string> notNumbers, ColumnVocabulary vocabulary)
    {
        var parts = new List<string>();
        if (unknown.Count > 0)
            parts.Add($"Unknown fields: {string.Join(", ", unknown)} (the model knows {string.Join(", ", vocabulary.Inputs.Select(c => c.Name))}).");
        if (notNumbers.Count > 0)
            parts.Add($"Not numbers: {string.Join(", ", notNumbers)}.");
        return string.Join(" ", parts);
    }
}
