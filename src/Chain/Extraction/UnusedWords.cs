namespace Serverless.Chain.Extraction;

/// <summary>What of a question nothing was made of, for the caller to see what was not understood.</summary>
internal static class UnusedWords
{
    /// <summary>
    /// Content words and numbers nothing used, as the stretches of the question they stand in ("commutes 10
    /// kilometres", "walks the dog"): a used word, a separator or a bracket ends a stretch, a function word does not.
    /// </summary>
    public static List<string> Find(string text, IReadOnlyList<Token> tokens, HashSet<int> used, ColumnLexicon lexicon)
    {
        var ignored = new List<string>();
        int? start = null, end = null;
        foreach (var token in tokens)
        {
            var reported = !used.Contains(token.Index) && !token.Absorbed && Reportable(token, lexicon);
            // An opening bracket is no boundary for reading ("proline (1500)") but ends a stretch worth reporting.
            if (start is not null && (used.Contains(token.Index) || token.StrongBefore || text.AsSpan(end!.Value, token.Start - end.Value).Contains('(')))
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

    private static bool Reportable(Token token, ColumnLexicon lexicon) => token.Kind == TokenKind.Number || !(token.IsStop ||
        EnglishWords.Filler.Contains(token.Text) || EnglishWords.Negations.Contains(token.Text) ||
        EnglishWords.WeakBoundaries.Contains(token.Text) || lexicon.NamesLabel(token));
}
