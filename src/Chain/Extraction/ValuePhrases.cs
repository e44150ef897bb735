using Serverless.AutoMl;

namespace Serverless.Chain.Extraction;

/// <summary>How a schema's categorical values read as words.</summary>
internal static class ValuePhrases
{
    /// <summary>The values of the category and yes/no columns as words; values a number picks are left to numbers.</summary>
    public static ValuePhrase[] Of(IEnumerable<LexiconColumn> columns) => MarkShared(columns
        .Where(c => c.Role is ColumnRole.Category or ColumnRole.Flag)
        .SelectMany(c => (c.Column.Values ?? []).Where(v => !c.Numbered.Values.Contains(v)).Select(v => Phrase(c, v)))
        .OfType<ValuePhrase>()
        .ToArray());

    /// <summary>
    /// Values that are one pattern around a number ("term_36", "z95838"): at least half of them, sharing what is left
    /// once the digits are taken out.
    /// </summary>
    public static Dictionary<double, string> Numbered(ModelColumn column)
    {
        var values = column.Values ?? [];
        var parsed = values.Select(v => (Value: v, Skeleton: new string(v.Where(c => !char.IsDigit(c)).ToArray()),
                Digits: new string(v.Where(char.IsDigit).ToArray())))
            .Where(v => v.Digits.Length > 0 && v.Value.Count(char.IsDigit) == v.Digits.Length && SingleRun(v.Value))
            .ToList();
        var common = parsed.GroupBy(v => v.Skeleton).MaxBy(g => g.Count());
        if (common is null || common.Count() * 2 < values.Count || common.Key.Length == 0 || !common.Key.Any(char.IsLetter))
            return [];
        return common.GroupBy(v => double.Parse(v.Digits)).ToDictionary(g => g.Key, g => g.First().Value);
    }

    private static bool SingleRun(string value)
    {
        var first = value.IndexOfAny("0123456789".ToCharArray());
        var last = value.LastIndexOfAny("0123456789".ToCharArray());
        return value[first..(last + 1)].All(char.IsDigit);
    }

    private static ValuePhrase? Phrase(LexiconColumn column, string value)
    {
        if (!value.Any(char.IsLetter)) return null;
        var words = WordForms.SplitName(value.Replace('_', ' ').Replace('-', ' ')).Where(w => !EnglishWords.Stop.Contains(w) || IsNegationWord(w)).ToList();
        if (words.Count == 0) return null;
        var keys = words.Select(WordForms.Key).ToArray();
        var generic = words.All(w => EnglishWords.Filler.Contains(w) || EnglishWords.TrueWords.Contains(w) || IsNegationWord(w));
        return new ValuePhrase(column, value, keys, generic);
    }

    private static bool IsNegationWord(string word) => EnglishWords.Negations.Contains(word);

    /// <summary>A value several columns hold ("High", "Yes") needs its column named next to it.</summary>
    private static ValuePhrase[] MarkShared(IReadOnlyList<ValuePhrase> values)
    {
        var shared = values.GroupBy(v => string.Join(' ', v.Keys.Order()))
            .Where(g => g.Select(v => v.Column).Distinct().Count() > 1).SelectMany(g => g).ToHashSet();
        return values.Select(v => shared.Contains(v) ? v with { Generic = true } : v).ToArray();
    }
}
