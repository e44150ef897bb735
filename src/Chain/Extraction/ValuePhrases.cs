using System.Text.RegularExpressions;

namespace Serverless.Chain.Extraction;

/// <summary>How a schema's categorical values read as words.</summary>
internal static partial class ValuePhrases
{
    /// <summary>
    /// The values of the category and yes/no columns as words; values a number picks are left to numbers, unless they
    /// spell the number in words ("Two Year" is read by its words, and picked by "2 years" too).
    /// </summary>
    public static ValuePhrase[] Of(IEnumerable<LexiconColumn> columns) => MarkShared(columns
        .Where(c => c.Role is ColumnRole.Category or ColumnRole.Flag or ColumnRole.NumberedCategory)
        .SelectMany(c => (c.Column.Values ?? []).Where(v => c.Numbered.All(r => r.Value != v) || !v.Any(char.IsDigit))
            .SelectMany(v => Spellings(c, v).Select(spelling => Phrase(c, v, spelling))))
        .OfType<ValuePhrase>()
        .Concat(columns.SelectMany(SexLetters))
        .ToArray());

    /// <summary>
    /// How a value may be written: as it is; without a bracketed remark ("Bank Transfer (automatic)" is "bank transfer",
    /// unless another value of the column reads the same then); a value in inner capitals also as one word ("paypal").
    /// </summary>
    private static IEnumerable<string> Spellings(LexiconColumn column, string value)
    {
        yield return value;
        var bare = Bracketed().Replace(value, " ").Trim();
        if (bare != value && bare.Any(char.IsLetter) && (column.Column.Values ?? []).Count(v => Bracketed().Replace(v, " ").Trim() == bare) == 1)
            yield return bare;
        if (value.All(char.IsLetterOrDigit) && WordForms.SplitName(value).Count > 1) yield return value.ToLowerInvariant();
    }

    /// <summary>
    /// "Travel_Rarely" is the words {travel, rar}; "male mar/wid" is "male" and one of "mar" or "wid" (a slash joins
    /// alternatives). The values of a yes/no column written as letters ("Y", "N") are also "yes" and "no".
    /// </summary>
    private static ValuePhrase? Phrase(LexiconColumn column, string value, string spelling)
    {
        if (!spelling.Any(char.IsLetter)) return null;
        var words = Separators().Split(spelling.Replace('_', ' ').Replace('-', ' '))
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
        var yesNo = column.Role == ColumnRole.Flag && keys.Length == 1 ? YesNo(value) : null;
        if (yesNo is not null) keys = [[.. keys[0].Append(yesNo).Distinct()]];
        var generic = yesNo is not null || words.SelectMany(a => a).All(IsGenericWord);
        return new ValuePhrase(column, value, keys, generic);
    }

    /// <summary>
    /// The key of "yes" or "no" a yes/no column's one-letter value stands for ("Y", "N"), if it is such a code. Longer
    /// values ("True") are set by naming the column, which takes more of its name than a bare "no" next to one word.
    /// </summary>
    private static string? YesNo(string value)
    {
        var word = value.ToLowerInvariant();
        return word.Length != 1 ? null
            : EnglishWords.TrueWords.Contains(word) ? WordForms.Key("yes") : EnglishWords.FalseWords.Contains(word) ? WordForms.Negation : null;
    }

    /// <summary>
    /// A column holding just the two sexes spelled out also takes their letters, in capitals, with the column named
    /// beside them ("sex M"): a letter alone says too little.
    /// </summary>
    private static IEnumerable<ValuePhrase> SexLetters(LexiconColumn column)
    {
        var codes = (column.Column.Values ?? [])
            .Select(v => (Value: v, Code: EnglishWords.SexCodes.FirstOrDefault(c => c.Value.Contains(v.ToLowerInvariant())).Key))
            .ToList();
        return column.Role == ColumnRole.Category && codes.Count == 2 && codes.All(c => c.Code is not null) && codes[0].Code != codes[1].Code
            ? codes.Select(c => new ValuePhrase(column, c.Value, [[c.Code!.ToUpperInvariant()]], Generic: true))
            : [];
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

    [GeneratedRegex(@"\([^)]*\)|\[[^\]]*\]")]
    private static partial Regex Bracketed();
}
