using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>
/// Maps a plain-language question onto a model's columns without an LLM: known categorical values by phrase,
/// yes/no columns by their name (negated by "no", "not", "without"), numbers to the column words nearest them
/// (within a plausible distance of the training range),
/// and the question itself (or its quoted part) to text columns. Fields it cannot fill are left out.
/// </summary>
internal sealed partial class QuestionExtractor(ColumnVocabulary vocabulary)
{
    /// <summary>How many words away a column word may stand and still claim a number or value.</summary>
    private const int Window = 6;

    private static readonly HashSet<string> Negations = ["no", "not", "without", "non", "never", "isn't", "doesn't", "isnt", "doesnt"];
    private static readonly HashSet<string> TrueWords = ["1", "yes", "true", "y", "t"];

    // Built once per deployed schema: the extractor runs on the request path.
    private static readonly ConditionalWeakTable<ColumnVocabulary, QuestionExtractor> Cache = new();

    /// <summary>Known categorical values, longest first ("no phone service" before "no"), with the columns that have them.</summary>
    private readonly IReadOnlyList<(string Phrase, (ModelColumn Column, string Value)[] Candidates)> _phrases =
        vocabulary.Inputs
            .Where(c => c.Kind is ColumnKind.Categorical or ColumnKind.Boolean && c.Values is not null)
            .SelectMany(c => c.Values!.Where(IsPhrase).Select(v => (Column: c, Value: v)))
            .GroupBy(cv => Normalize(cv.Value))
            .OrderByDescending(g => g.Key.Length)
            .Select(g => (g.Key, g.ToArray()))
            .ToList();

    public static QuestionExtractor For(ColumnVocabulary vocabulary) => Cache.GetValue(vocabulary, v => new QuestionExtractor(v));

    public Dictionary<string, string?> Extract(string question)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var text = Normalize(question).ToCharArray();
        FillCategoricals(text, values);
        var tokens = Tokenize(new string(text)); // matched value phrases are blanked out of the text
        var mentions = FindMentions(tokens);
        FillFlags(tokens, mentions, values);
        FillNumbers(tokens, mentions, values);
        FillTexts(question, values);
        return values;
    }

    private void FillCategoricals(char[] text, Dictionary<string, string?> values)
    {
        var tokens = Tokenize(new string(text));
        var mentions = FindMentions(tokens);
        foreach (var (phrase, candidates) in _phrases)
        {
            foreach (var at in Occurrences(text, phrase))
            {
                var token = TokenIndexAt(tokens, at);
                var choice = candidates.Length == 1 && !IsGeneric(phrase)
                    ? candidates[0]
                    : candidates.Where(cv => !values.ContainsKey(cv.Column.Name))
                        .Select(cv => (cv, Score: Closeness(mentions, cv.Column.Name, token)))
                        .Where(s => s.Score > 0).OrderByDescending(s => s.Score).Select(s => s.cv).FirstOrDefault();
                if (choice.Column is null || values.ContainsKey(choice.Column.Name)) continue;
                values[choice.Column.Name] = choice.Value;
                Array.Fill(text, ' ', at, phrase.Length);
            }
        }
    }

    /// <summary>Where the phrase stands as whole words.</summary>
    private static IEnumerable<int> Occurrences(char[] text, string phrase)
    {
        for (var from = 0; from <= text.Length - phrase.Length;)
        {
            var at = text.AsSpan(from).IndexOf(phrase.AsSpan(), StringComparison.Ordinal);
            if (at < 0) yield break;
            at += from;
            var end = at + phrase.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                yield return at;
            from = at + 1;
        }
    }

    private void FillNumbers(IReadOnlyList<Token> tokens, IReadOnlyList<Mention> mentions, Dictionary<string, string?> values)
    {
        var numeric = vocabulary.Inputs.Where(c => c.Kind == ColumnKind.Numeric && !values.ContainsKey(c.Name)).ToArray();
        var pairs = tokens.Where(t => t.IsNumber)
            .SelectMany(t => numeric.Where(c => Plausible(c, t.Text))
                .Select(c => (Number: t, Column: c.Name, Score: Closeness(mentions, c.Name, t.Index))))
            .Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score);
        var usedNumbers = new HashSet<int>();
        foreach (var (number, column, _) in pairs) // greedy: the strongest number-column pairs first
        {
            if (values.ContainsKey(column) || !usedNumbers.Add(number.Index)) continue;
            values[column] = number.Text.Replace(",", "", StringComparison.Ordinal);
        }
    }

    /// <summary>Yes/no columns ("boolean", or numeric 0/1 such as senior_citizen) set by naming them: "a senior citizen with no partner".</summary>
    private void FillFlags(IReadOnlyList<Token> tokens, IReadOnlyList<Mention> mentions, Dictionary<string, string?> values)
    {
        foreach (var column in vocabulary.Inputs.Where(c => IsFlag(c) && !values.ContainsKey(c.Name)))
        {
            var words = vocabulary.Words[column.Name];
            var named = mentions.Where(m => m.Column == column.Name && m.Weight == ColumnVocabulary.ExactWeight).ToArray();
            if (words.Count == 0 || named.Select(m => m.Word).Distinct().Count() < words.Count) continue;
            var first = named.Min(m => m.Token);
            var negated = tokens.Any(t => t.Index < first && t.Index >= first - 3 && Negations.Contains(t.Text));
            values[column.Name] = FlagValue(column, !negated);
        }
    }

    private static bool IsFlag(ModelColumn column) =>
        column.Kind == ColumnKind.Boolean || (column.Kind == ColumnKind.Numeric && column.Min == 0 && column.Max == 1);

    /// <summary>A number far outside what training saw is not meant for that column (80 is no senior_citizen flag).</summary>
    private static bool Plausible(ModelColumn column, string number)
    {
        if (column.Min is not { } min || column.Max is not { } max) return true;
        var value = double.Parse(number.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var range = Math.Max(max - min, 1);
        return value >= min - range && value <= max + range;
    }

    private void FillTexts(string question, Dictionary<string, string?> values)
    {
        var quoted = Quoted().Match(question);
        var text = quoted.Success ? quoted.Groups[1].Value : question.Trim();
        foreach (var column in vocabulary.Inputs.Where(c => c.Kind == ColumnKind.Text))
            values[column.Name] = text;
    }

    /// <summary>How close a column's words stand to a position: the sum over its words of the best weight/distance.</summary>
    private static double Closeness(IReadOnlyList<Mention> mentions, string column, int at) =>
        mentions.Where(m => m.Column == column && Math.Abs(m.Token - at) is > 0 and <= Window)
            .GroupBy(m => m.Word)
            .Sum(g => g.Max(m => m.Weight / Math.Abs(m.Token - at)));

    private List<Mention> FindMentions(IReadOnlyList<Token> tokens) =>
        (from token in tokens
         where !token.IsNumber
         from column in vocabulary.Inputs
         from word in vocabulary.Words[column.Name]
         let weight = ColumnVocabulary.Match(token.Singular, word)
         where weight > 0
         select new Mention(token.Index, column.Name, word, weight)).ToList();

    private static string FlagValue(ModelColumn column, bool value)
    {
        var known = column.Values ?? (column.Kind == ColumnKind.Numeric ? ["1", "0"] : ["true", "false"]);
        return known.FirstOrDefault(v => TrueWords.Contains(v.ToLowerInvariant()) == value) ?? value.ToString().ToLowerInvariant();
    }

    /// <summary>Values such as "Yes", "No" or "0" say nothing on their own: they need their column named nearby.</summary>
    private static bool IsGeneric(string value) => value.Length <= 3 || TrueWords.Contains(value) || Negations.Contains(value);

    private static bool IsPhrase(string value) => value.Any(char.IsLetter);

    private static int TokenIndexAt(IReadOnlyList<Token> tokens, int offset) =>
        tokens.LastOrDefault(t => t.Offset <= offset)?.Index ?? 0;

    private static List<Token> Tokenize(string text) =>
        TokenPattern().Matches(text)
            .Select((m, i) => char.IsDigit(m.Value[0])
                ? new Token(i, m.Index, m.Value, m.Value, IsNumber: true)
                : new Token(i, m.Index, m.Value, ColumnVocabulary.Singular(m.Value), IsNumber: false))
            .ToList();

    /// <summary>Lower case, with "-", "_" and "/" as spaces, so "Month-to-month" matches "month to month".</summary>
    private static string Normalize(string text) =>
        Separators().Replace(text.ToLower(CultureInfo.InvariantCulture), " ");

    private sealed record Token(int Index, int Offset, string Text, string Singular, bool IsNumber);

    private sealed record Mention(int Token, string Column, string Word, double Weight);

    [GeneratedRegex(@"\d+(?:,\d{3})*(?:\.\d+)?|[\p{L}][\p{L}']*")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"(?<=[\p{L}\s])[-_/](?=[\p{L}\s])")]
    private static partial Regex Separators();

    [GeneratedRegex("[\"“”«»]([^\"“”«»]+)[\"“”«»]")]
    private static partial Regex Quoted();
}
