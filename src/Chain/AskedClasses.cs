using Serverless.AutoMl;
using Serverless.Chain.Extraction;

namespace Serverless.Chain;

/// <summary>
/// The classes a question asks about by name ("how likely is it to be malignant?"), so the answer can give their
/// probability even when the model predicts another. Classes that read as yes/no or a number, or that an input column
/// also holds, are values of the question rather than what it asks, and are never taken for one.
/// </summary>
internal static class AskedClasses
{
    public static IReadOnlyList<string> In(string? question, ModelSchema schema)
    {
        if (string.IsNullOrWhiteSpace(question) || schema.Classes is not { Count: > 0 } classes) return [];
        var words = Tokenizer.Read(question).Select(t => t.Kind == TokenKind.Word ? t.Stem : t.Original).ToArray();
        var inputValues = schema.Columns.Where(c => c.Name != schema.Label).SelectMany(c => c.Values ?? [])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return classes.Where(c => !inputValues.Contains(c) && Phrase(c) is { } phrase && Contains(words, phrase)).ToList();
    }

    /// <summary>The class as stemmed words; null when it has no word of its own to be named by ("Yes", "1", "A").</summary>
    private static string[]? Phrase(string @class)
    {
        var parts = WordForms.SplitName(@class);
        var named = parts.Any(p => p.Any(char.IsLetter) && !EnglishWords.Stop.Contains(p)) &&
                    !(parts is [var only] && IsYesOrNo(only));
        return named ? parts.Select(p => p.All(char.IsDigit) ? p : Stemmer.Stem(p)).ToArray() : null;
    }

    private static bool IsYesOrNo(string word) =>
        EnglishWords.TrueWords.Contains(word) || EnglishWords.Negations.Contains(word) || word is "false" or "f" or "n";

    private static bool Contains(string[] words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Length; i++)
            if (words.AsSpan(i, phrase.Length).SequenceEqual(phrase)) return true;
        return false;
    }
}
