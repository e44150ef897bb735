using System.Text.RegularExpressions;
using Serverless.AutoMl;
using Serverless.Chain.Extraction;

namespace Serverless.Chain;

/// <summary>What a question said about the columns, what of it was not understood, and what the reader warns about.</summary>
public sealed record QuestionExtraction(
    IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Ignored, IReadOnlyList<string> Warnings);

/// <summary>
/// Maps a plain-language question onto a model's columns without an LLM, in time linear in the question's length:
/// known categorical values by their words (<see cref="ValueMatcher"/>), numbers with their units
/// (<see cref="QuantityReader"/>), column names (<see cref="MentionFinder"/>), then each value to a column named next to
/// it (<see cref="Binder"/>). Yes/no columns are set by naming them (negated by "no", "not", "without"…); text columns
/// get the question itself or its quoted part. What it cannot place is left out and reported as ignored.
/// </summary>
internal sealed partial class QuestionExtractor(ColumnVocabulary vocabulary)
{
    /// <summary>How many words before a column mention a negation still applies: "does not code as a hobby".</summary>
    private const int NegationReach = 3;
    /// <summary>Least coverage of a yes/no column's name for naming it to set it.</summary>
    private const double FlagCoverage = 0.6;

    private readonly ColumnLexicon _lexicon = ColumnLexicon.For(vocabulary);

    public static QuestionExtractor For(ColumnVocabulary vocabulary) => new(vocabulary);

    /// <summary>Reads at most <paramref name="maxChars"/> characters of the question; a warning says when there were more.</summary>
    public QuestionExtraction Extract(string question, int maxChars = int.MaxValue, CancellationToken ct = default)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var read = Truncate(question, maxChars);
        if (read.Length < question.Length)
            warnings.Add($"Only the first {read.Length:N0} of the question's {question.Length:N0} characters were read.");

        var tokens = Tokenizer.Read(read);
        var consumed = new HashSet<int>();
        var categories = ValueMatcher.Find(tokens, _lexicon, consumed, ct);
        var quantities = QuantityReader.Read(tokens, _lexicon, consumed);
        var mentions = MentionFinder.Find(tokens, _lexicon, consumed, ct);
        ct.ThrowIfCancellationRequested();

        var used = new HashSet<int>();
        List<Candidate> candidates = [.. categories, .. quantities];
        foreach (var binding in Binder.Bind(tokens, mentions, candidates))
        {
            values[binding.Column.Name] = binding.Value;
            Use(used, binding.Candidate.Tokens);
            if (binding.Mention is not null) Use(used, binding.Mention.Tokens);
        }
        // A bare "no" or "without" that no column took is a negation, not a value left unplaced.
        var unplaced = new HashSet<int>(candidates.SelectMany(c => c.Tokens)
            .Where(t => !used.Contains(t.Index) && !EnglishWords.Negations.Contains(t.Text)).Select(t => t.Index));
        foreach (var mention in mentions.Where(m => !m.Used && !NextTo(tokens, m, unplaced)))
            if (SetByNaming(tokens, mention, used, values)) Use(used, mention.Tokens);
        FillTexts(question, values);

        var ignored = vocabulary.Inputs.Any(c => c.Kind == ColumnKind.Text) ? [] : Ignored(read, tokens, used);
        return new QuestionExtraction(values, ignored, warnings);
    }

    /// <summary>
    /// A mention no value took: a yes/no column named outright is set ("a senior citizen without a partner"), and a
    /// number column named after a negation is zero ("no sulfur", "never pregnant").
    /// </summary>
    private static bool SetByNaming(IReadOnlyList<Token> tokens, Mention mention, HashSet<int> used, Dictionary<string, string?> values)
    {
        if (mention.Evidence.Count == 0) return false;
        var (column, score) = mention.Best();
        if (values.ContainsKey(column.Name) || score < FlagCoverage || mention.SecondScore() * 1.25 > score) return false;
        var negated = Negated(tokens, mention.First, used);
        string? value = column.Role switch
        {
            ColumnRole.Flag => FlagValue(column.Column, !negated),
            ColumnRole.Number when negated && column.Column.Min is <= 0 && column.Column.Max is >= 0 => "0",
            _ => null,
        };
        if (value is null) return false;
        values[column.Name] = value;
        mention.Used = true;
        return true;
    }

    /// <summary>
    /// A negation a few words before the mention ("does not code as a hobby"), within its clause ("no overtime and a
    /// guarantor" negates only the overtime) and with no placed value between.
    /// </summary>
    private static bool Negated(IReadOnlyList<Token> tokens, int first, HashSet<int> used)
    {
        for (var i = first - 1; i >= 0 && i >= first - 1 - NegationReach; i--)
        {
            if (tokens[i + 1].StrongBefore || EnglishWords.WeakBoundaries.Contains(tokens[i].Text) || used.Contains(i)) return false;
            if (EnglishWords.Negations.Contains(tokens[i].Text)) return true;
        }
        return false;
    }

    /// <summary>"guarantor 80": a value stands beside the mention that could not be placed, so the mention is not a yes.</summary>
    private static bool NextTo(IReadOnlyList<Token> tokens, Mention mention, HashSet<int> unplaced)
    {
        for (var i = mention.First - 1; i >= 0 && !tokens[i + 1].StrongBefore; i--)
            if (!tokens[i].IsStop) return unplaced.Contains(i);
        for (var i = mention.Last + 1; i < tokens.Count && !tokens[i].StrongBefore; i++)
            if (!tokens[i].IsStop) return unplaced.Contains(i);
        return false;
    }

    private static string FlagValue(ModelColumn column, bool value)
    {
        var known = column.Values ?? (column.Kind == ColumnKind.Numeric ? ["1", "0"] : ["true", "false"]);
        return known.FirstOrDefault(v => EnglishWords.TrueWords.Contains(v.ToLowerInvariant()) == value) ?? value.ToString().ToLowerInvariant();
    }

    private void FillTexts(string question, Dictionary<string, string?> values)
    {
        var quoted = Quoted().Match(question);
        var text = quoted.Success ? quoted.Groups[1].Value : question.Trim();
        foreach (var column in vocabulary.Inputs.Where(c => c.Kind == ColumnKind.Text))
            values[column.Name] = text;
    }

    /// <summary>
    /// Content words and numbers nothing used, as the stretches of the question they stand in ("commutes 10
    /// kilometres", "walks the dog"): a used word or a separator ends a stretch, a function word does not.
    /// </summary>
    private List<string> Ignored(string text, IReadOnlyList<Token> tokens, HashSet<int> used)
    {
        var ignored = new List<string>();
        int? start = null, end = null;
        foreach (var token in tokens)
        {
            var reported = !used.Contains(token.Index) && !token.Absorbed && Reportable(token);
            if (start is not null && (used.Contains(token.Index) || token.StrongBefore))
            {
                ignored.Add(text[start.Value..end!.Value]);
                start = null;
            }
            if (reported) (start, end) = (start ?? token.Start, token.End);
            else if (start is not null && token.Absorbed) end = token.End;
        }
        if (start is not null) ignored.Add(text[start.Value..end!.Value]);
        return ignored;
    }

    private bool Reportable(Token token) => token.Kind == TokenKind.Number || !(token.IsStop ||
        EnglishWords.Filler.Contains(token.Text) || EnglishWords.Negations.Contains(token.Text) ||
        EnglishWords.WeakBoundaries.Contains(token.Text) || _lexicon.NamesLabel(token));

    private static void Use(HashSet<int> used, IEnumerable<Token> tokens)
    {
        foreach (var token in tokens) used.Add(token.Index);
    }

    /// <summary>At most maxChars characters, cut between words.</summary>
    private static string Truncate(string question, int maxChars)
    {
        if (question.Length <= maxChars) return question;
        var cut = question.LastIndexOf(' ', maxChars, Math.Min(maxChars, 64));
        return question[..(cut > 0 ? cut : maxChars)];
    }

    [GeneratedRegex("[\"“”«»]([^\"“”«»]+)[\"“”«»]")]
    private static partial Regex Quoted();
}
