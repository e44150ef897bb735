using System.Globalization;
using Serverless.AutoMl;
using Serverless.Chain.Extraction;

namespace Serverless.Chain;

/// <summary>"key: value" text as a record of the model's columns, prose before a key included.</summary>
internal static class KeyValueRecord
{
    /// <summary>
    /// Pairs as a record, keyed by the model's column names, when every key names a column (or the label, or a column
    /// the model dropped) and one names an input, and every value is plain (a number for a numeric column); otherwise
    /// null, and the text is read as a question ("bedrooms: 3" for NumBedrooms is the question reader's to place). Prose before a key ("predict the progression for age=60") is read
    /// as a question: what it says about other columns counts, the rest is reported as ignored.
    /// </summary>
    public static QuestionExtraction? Read(ColumnVocabulary vocabulary, Dictionary<string, string?> pairs)
    {
        var split = pairs.Select(p => (Parts: vocabulary.SplitLeadingProse(p.Key), p.Value))
            .Select(s => (s.Parts, Column: vocabulary.Resolve(s.Parts.Key), s.Value)).ToArray();
        if (!split.Any(s => s.Column is not null) || split.Any(s => s.Column is null && !vocabulary.IsUnusedTrainingColumn(s.Parts.Key)))
            return null;
        // "age=12 and smoker=yes" has no separator between its pairs, "weight: 80 kg" a unit: the question reader's to read.
        if (split.Any(s => !IsPlainValue(vocabulary, s.Column, s.Value))) return null;
        var record = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (parts, column, value) in split) record[column?.Name ?? parts.Key] = Flag(vocabulary, column, value) ?? value;
        var prose = string.Join(", ", split.Select(s => s.Parts.Prose).Where(p => p.Length > 0));
        if (prose.Length == 0) return new QuestionExtraction(record, [], []);
        var fromProse = QuestionExtractor.For(vocabulary).Extract(prose);
        foreach (var (column, value) in fromProse.Values) record.TryAdd(column, value);
        return new QuestionExtraction(record, fromProse.Ignored, []);
    }

    private static bool IsPlainValue(ColumnVocabulary vocabulary, ModelColumn? column, string? value) =>
        value is null || (!value.Contains('=', StringComparison.Ordinal) && (column?.Kind != ColumnKind.Numeric ||
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || Flag(vocabulary, column, value) is not null));

    /// <summary>"yes" or "no" for a yes/no column, as the column writes it: "device protection: yes" is 1 for a 0/1 column.</summary>
    private static string? Flag(ColumnVocabulary vocabulary, ModelColumn? column, string? value)
    {
        if (column is null || value?.ToLowerInvariant() is not { } word || ColumnLexicon.For(vocabulary).Columns.Single(c => c.Column == column).Role != ColumnRole.Flag)
            return null;
        return EnglishWords.TrueWords.Contains(word) ? NamedColumns.FlagValue(column, true)
            : EnglishWords.FalseWords.Contains(word) ? NamedColumns.FlagValue(column, false) : null;
    }
}
