namespace Serverless.Chain.Extraction;

/// <summary>
/// Finds known categorical values in a question by their words, in any order and any inflection, a few words apart at
/// most and within one clause: "married man" is "male" and "married", "a smoker" is "smokes", "rarely travels" is
/// "Travel_Rarely". Longer values win over the shorter ones inside them ("Very_High" over "High").
/// </summary>
internal static class ValueMatcher
{
    /// <summary>How many words a value may spread beyond its own word count ("research and development").</summary>
    private const int Slack = 1;

    public static List<CategoryCandidate> Find(IReadOnlyList<Token> tokens, ColumnLexicon lexicon, ISet<int> consumed, CancellationToken ct)
    {
        var forms = tokens.Select(t => Forms(t, lexicon)).ToArray();
        var abbreviated = tokens.Select(t => Abbreviated(t, lexicon)).ToArray();
        var spelled = SpelledValueWords(tokens, lexicon, consumed);
        foreach (var (at, (key, _, _)) in spelled) forms[at].Add(key);
        var found = new List<(ValuePhrase Phrase, int[] Tokens)>();
        foreach (var token in tokens)
        {
            if (token.Index % 256 == 0) ct.ThrowIfCancellationRequested();
            foreach (var key in forms[token.Index].Concat(abbreviated[token.Index]))
                foreach (var phrase in lexicon.ValuesWith(key))
                    if (Place(phrase, token.Index, tokens, forms, abbreviated) is { } placed) found.Add((phrase, placed));
        }
        var candidates = new List<CategoryCandidate>();
        // The most words first, then the tightest: "no phone service" before "no", "very high" before "high".
        // Values that need their column named and that the same words spell ("no" for a "Never" and an "N") are one
        // candidate, placed by the column named beside it.
        var groups = found.GroupBy(f => (f.Phrase.Keys.Length, Span: string.Join(',', f.Tokens), Own: f.Phrase.Generic ? "" : f.Phrase.Signature))
            .Select(g => (Tokens: g.First().Tokens, Phrases: g.Select(f => f.Phrase).Distinct().ToArray()))
            .OrderByDescending(g => g.Phrases[0].Keys.Length)
            .ThenBy(g => g.Tokens.Max() - g.Tokens.Min())
            .ThenBy(g => g.Tokens.Min());
        foreach (var (valueWords, phrases) in groups)
        {
            // "travel agent" spells "TA": the phrase's other words belong to the value too.
            int[] indices = [.. valueWords, .. valueWords.Where(i => spelled.TryGetValue(i, out var s) && phrases[0].Keys.Any(k => k.Contains(s.Key)))
                .SelectMany(i => Enumerable.Range(i + 1, spelled[i].Words - 1))];
            if (indices.Any(consumed.Contains)) continue;
            // A phrase a content word continues ("high blood pressure") spells a value word only beside the value's other words.
            if (phrases[0].Keys.Length < 2 && valueWords.Any(i => spelled.TryGetValue(i, out var s) && s.Continued)) continue;
            // "years with current manager": a one-word value inside words that name a column together is the column's.
            if (indices.Length == 1 && lexicon.InNameWithNeighbour(tokens, indices[0])) continue;
            var span = indices.Order().Select(i => tokens[i]).ToArray();
            CategoryCandidate? candidate = new(span, phrases, standsAlone: phrases.All(p => IsSpelledOut(p, span)));
            // Nothing can be said for "not married" among three statuses: its words stay free, reported as not understood.
            if (NegatedBefore(tokens, span[0].Index, phrases)) candidate = candidate.Negated(span);
            if (candidate is null) continue;
            foreach (var i in indices) consumed.Add(i);
            candidates.Add(candidate);
        }
        return candidates;
    }

    /// <summary>
    /// The tokens that spell the value around an anchor, one token per value word; null when a word is missing. A value
    /// word may be spelled out ("state government" for "State-gov") only beside a word of the value typed as it is.
    /// </summary>
    private static int[]? Place(ValuePhrase phrase, int anchor, IReadOnlyList<Token> tokens, HashSet<string>[] forms, HashSet<string>[] abbreviated)
    {
        var window = phrase.Keys.Length + Slack;
        var used = new List<int>(phrase.Keys.Length);
        var exact = 0;
        foreach (var alternatives in phrase.Keys)
        {
            var best = -1;
            var bestExact = false;
            for (var i = Math.Max(0, anchor - window); i <= Math.Min(tokens.Count - 1, anchor + window); i++)
            {
                var isExact = alternatives.Any(forms[i].Contains);
                if (used.Contains(i) || !(isExact || alternatives.Any(abbreviated[i].Contains)) || CrossesBoundary(tokens, anchor, i)) continue;
                if (best < 0 || (isExact && !bestExact) || (isExact == bestExact && Math.Abs(i - anchor) < Math.Abs(best - anchor)))
                    (best, bestExact) = (i, isExact);
            }
            if (best < 0) return null;
            used.Add(best);
            if (bestExact) exact++;
        }
        if (exact == 0 || (exact < used.Count && phrase.Keys.Length < 2)) return null;
        return used.Max() - used.Min() <= window && OnlyFunctionWordsBetween(tokens, used) ? used.ToArray() : null;
    }

    private static HashSet<string> Abbreviated(Token token, ColumnLexicon lexicon) =>
        token.Kind != TokenKind.Word || token.IsStop ? [] : lexicon.ValueKeysAbbreviating(token.Stem).ToHashSet();

    /// <summary>"research and development", "a man who is married"; not "a month with 3 months".</summary>
    private static bool OnlyFunctionWordsBetween(IReadOnlyList<Token> tokens, List<int> used)
    {
        for (var i = used.Min() + 1; i < used.Max(); i++)
            if (!used.Contains(i) && !(tokens[i].IsStop || EnglishWords.Negations.Contains(tokens[i].Text))) return false;
        return true;
    }

    private static bool CrossesBoundary(IReadOnlyList<Token> tokens, int a, int b)
    {
        for (var i = Math.Min(a, b) + 1; i <= Math.Max(a, b); i++)
            if (tokens[i].StrongBefore) return true;
        return false;
    }

    /// <summary>Keys a word may stand for as part of a value; function words stand for nothing.</summary>
    private static HashSet<string> Forms(Token token, ColumnLexicon lexicon)
    {
        // A number is a value word only as typed: "150" of "F-150", "3" of "3 Series".
        if (token.Kind == TokenKind.Number) return [token.Original];
        if (token.Kind != TokenKind.Word || (token.IsStop && !EnglishWords.Negations.Contains(token.Text))) return [];
        var forms = WordForms.Of(token.Text, ColumnLexicon.ExpandsAbbreviation(token)).Select(f => f.Key).ToHashSet();
        forms.UnionWith(lexicon.ValueKeysSharingPrefix(token.Stem));
        // A capital letter alone may be a code as typed ("sex M").
        if (token.Original is [var letter] && char.IsUpper(letter)) forms.Add(token.Original);
        return forms;
    }

    /// <summary>
    /// Two-letter codes ("CA", "B3") stand on their own only when typed as the value is, or spelled out ("full board"
    /// for "FB", "girl" for "F"); otherwise their column must be named.
    /// </summary>
    private static bool IsSpelledOut(ValuePhrase phrase, IReadOnlyList<Token> span) =>
        phrase.Value.Count(char.IsLetterOrDigit) > 2 || span[0].Original == phrase.Value || span.Count > phrase.Keys.Length ||
        (span[0].Text.Length > phrase.Value.Length && span[0].Stem != WordForms.Key(phrase.Value.ToLowerInvariant()));

    /// <summary>
    /// Phrases that spell a value word: two words joined ("south west" for "southwest"), or initials that spell a value
    /// word written in capitals ("travel agent" for the "TA" of "Online TA", "full board" for "FB"); by their first
    /// word, with the value word's key, the phrase's length and whether a content word follows it. The phrase starts and
    /// ends with a content word, has no separator inside, and none of its words names a column or a value itself.
    /// </summary>
    private static Dictionary<int, (string Key, int Words, bool Continued)> SpelledValueWords(
        IReadOnlyList<Token> tokens, ColumnLexicon lexicon, ISet<int> consumed)
    {
        var spelled = new Dictionary<int, (string Key, int Words, bool Continued)>();
        // Whether each word names a column or a value, looked up once.
        var naming = tokens.Select(t => t.Kind == TokenKind.Word && !t.IsStop && (lexicon.Match(t).Count > 0 || lexicon.ValuesWith(t.Stem).Count > 0)).ToArray();
        for (var at = 0; at < tokens.Count; at++)
        {
            if (Joined(tokens, at, lexicon, consumed, naming) is { } joined)
            {
                // "south west" is "southwest".
                spelled[at++] = (joined, 2, false);
                continue;
            }
            for (var length = lexicon.ValueInitialisms.Count == 0 ? 0 : Math.Min(ColumnLexicon.MaxInitials, tokens.Count - at);
                 length >= ColumnLexicon.MinInitials; length--)
            {
                var phrase = tokens.Skip(at).Take(length).ToArray();
                if (phrase[0].IsStop || phrase[^1].IsStop || phrase.Skip(1).Any(t => t.StrongBefore) ||
                    phrase.Any(t => t.Kind != TokenKind.Word || consumed.Contains(t.Index) || naming[t.Index]) ||
                    !lexicon.ValueInitialisms.TryGetValue(string.Concat(phrase.Select(t => t.Text[0])), out var key)) continue;
                spelled[at] = (key, length, Continues(tokens, at + length));
                at += length - 1;
                break;
            }
        }
        return spelled;
    }

    /// <summary>A content word right after a phrase makes it part of a longer one: "high blood pressure" spells no "HB".</summary>
    private static bool Continues(IReadOnlyList<Token> tokens, int next) =>
        next < tokens.Count && !tokens[next].StrongBefore && tokens[next].Kind == TokenKind.Word && !tokens[next].IsStop;

    /// <summary>The key of a value word two words make together ("south west" for "southwest"), if neither is a value word itself.</summary>
    private static string? Joined(IReadOnlyList<Token> tokens, int at, ColumnLexicon lexicon, ISet<int> consumed, bool[] naming)
    {
        if (at + 1 >= tokens.Count || tokens[at + 1].StrongBefore) return null;
        var (first, second) = (tokens[at], tokens[at + 1]);
        if (first.Kind != TokenKind.Word || second.Kind != TokenKind.Word || first.IsStop || second.IsStop ||
            consumed.Contains(at) || consumed.Contains(at + 1) || naming[at] || naming[at + 1]) return null;
        var key = Stemmer.Stem(first.Text + second.Text);
        return lexicon.ValuesWith(key).Count > 0 ? key : null;
    }


    /// <summary>"not married", "isn't verified": a negation right before a value that does not itself hold one.</summary>
    private static bool NegatedBefore(IReadOnlyList<Token> tokens, int first, IReadOnlyList<ValuePhrase> phrases)
    {
        if (phrases.Any(p => p.Keys.Any(k => k.Contains(WordForms.Negation)))) return false;
        for (var i = first - 1; i >= Math.Max(0, first - 3); i--)
        {
            if (tokens[i + 1].StrongBefore) return false;
            if (EnglishWords.Negations.Contains(tokens[i].Text)) return true;
            if (!tokens[i].IsStop) return false;
        }
        return false;
    }
}
