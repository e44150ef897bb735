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

        // Dates first: their numbers are not other columns' values.
        read = DateValues.Take(read, vocabulary.Inputs, values);
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
        // A bare "no" or "without" that no column took is a negation, and a bare "yes" an answer, not a value left unplaced.
        var unplaced = new HashSet<int>(candidates.SelectMany(c => c.Tokens)
            .Where(t => !used.Contains(t.Index) && !EnglishWords.Negations.Contains(t.Text) && !EnglishWords.TrueWords.Contains(t.Text)).Select(t => t.Index));
        foreach (var mention in mentions.Where(m => !m.Used && !NamedColumns.NextTo(tokens, m, unplaced)))
            if (NamedColumns.Set(tokens, mention, used, values)) Use(used, mention.Tokens);
        FillTexts(question, values);

        var ignored = vocabulary.Inputs.Any(c => c.Kind == ColumnKind.Text) ? [] : UnusedWords.Find(read, tokens, used, _lexicon);
        return new QuestionExtraction(values, ignored, warnings);
    }

    private void FillTexts(string question, Dictionary<string, string?> values)
    {
        var quoted = Quoted().Match(question);
        var text = quoted.Success ? quoted.Groups[1].Value : question.Trim();
        foreach (var column in vocabulary.Inputs.Where(c => c.Kind == ColumnKind.Text))
            values[column.Name] = text;
    }

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
