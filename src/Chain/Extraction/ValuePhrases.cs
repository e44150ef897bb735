using System.Text.RegularExpressions;

namespace Serverless.Chain.Extraction;

/// <summary>How a schema's categorical values read as words.</summary>
internal static partial class ValuePhrases
{
    /// <summary>The values of the category and yes/no columns as words; values a number picks are left to numbers.</summary>
    public static ValuePhrase[] Of(IEnumerable<LexiconColumn> columns) => MarkShared(columns
        .Where(c => c.Role is ColumnRole.Category or ColumnRole.Flag or ColumnRole.NumberedCategory)
        .SelectMany(c => (c.Column.Values ?? []).Where(v => c.Numbered.All(r => r.Value != v)).Select(v => Phrase(c, v)))
        .OfType<ValuePhrase>()
        .ToArray());

    /// <summary>
    /// "Travel_Rarely" is the words {travel, rar}; "male mar/wid" is "male" and one of "mar" or "wid" (a slash joins
    /// alternatives).
    /// </summary>
    private static ValuePhrase? Phrase(LexiconColumn column, string value)
    {
        if (!value.Any(char.IsLetter)) return null;
        var words = Separators().Split(value.Replace('_', ' ').Replace('-', ' '))
            .SelectMany(part => part.Contains('/')
                ? [part.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(a => a.ToLowerInvariant()).ToArray()]
                : Words(part).Select(w => new[] { w }))
            .Where(alternatives => alternatives.Length > 0 && alternatives.Any(w => !EnglishWords.Stop.Contains(w) || IsNegationWord(w)))
            .ToList();
        if (words.Count == 0) return null;
        // "Resort Hotel" of a column named "hotel": the value is "resort", the name says the rest.
        var own = words.Where(a => !a.All(w => column.Words.Any(n => n.Keys.Contains(WordForms.Key(w))))).ToList();
        if (own.Count > 0 && own.Count < words.Count && !own.SelectMany(a => a).All(IsGenericWord)) words = own;
        var keys = words.Select(alternatives => alternatives.Select(WordForms.Key).Concat(alternatives.SelectMany(w => SexCode(column, w)))
            .Distinct().ToArray()).ToArray();
        var generic = words.SelectMany(a => a).All(IsGenericWord);
        return new ValuePhrase(column, value, keys, generic);
    }

    /// <summary>"M" and "F" of a column holding just those two are sex codes: "a boy", "girl", "woman" name them.</summary>
    private static IEnumerable<string> SexCode(LexiconColumn column, string word) =>
        column.Column.Values is { Count: 2 } values && values.Select(v => v.ToLowerInvariant()).Order().SequenceEqual(["f", "m"])
            ? EnglishWords.SexCodes.GetValueOrDefault(word)?.Select(Stemmer.Stem) ?? []
            : [];

    /// <summary>
    /// A value's words by case ("TravelRarely"); a split that leaves a single letter is a spelling, not words: "PhD" and
    /// "iOS" are read as one word, as questions write them.
    /// </summary>
    private static IEnumerable<string> Words(string part)
    {
        var words = WordForms.SplitName(part);
        return words.Count > 1 && words.Any(w => w.Length == 1 && char.IsLetter(w[0])) ? [part.ToLowerInvariant()] : words;
    }

    private static bool IsNegationWord(string word) => EnglishWords.Negations.Contains(word);

    private static bool IsGenericWord(string word) => EnglishWords.Filler.Contains(word) || EnglishWords.TrueWords.Contains(word) || IsNegationWord(word);

    /// <summary>The words of a value written in two to four capitals ("TA" and "TO" of "Offline TA/TO"), lower case.</summary>
    public static IEnumerable<string> Initialisms(string value) =>
        Separators().Split(value.Replace('/', ' '))
            .Where(w => w.Length is >= ColumnLexicon.MinInitials and <= ColumnLexicon.MaxInitials && w.All(char.IsAsciiLetterUpper))
            .Select(w => w.ToLowerInvariant());

    /// <summary>A value several columns hold ("High", "Yes") needs its column named next to it.</summary>
    private static ValuePhrase[] MarkShared(IReadOnlyList<ValuePhrase> values)
    {
        var shared = values.GroupBy(v => v.Signature)
            .Where(g => g.Select(v => v.Column).Distinct().Count() > 1).SelectMany(g => g).ToHashSet();
        return values.Select(v => shared.Contains(v) ? v with { Generic = true } : v).ToArray();
    }

    [GeneratedRegex(@"[^\p{L}\p{N}/]+")]
    private static partial Regex Separators();
}
