namespace Serverless.Chain.Extraction;

/// <summary>
/// Finds where a question names columns: runs of words that name a common column ("monthly income", "years at the
/// company", "developer with a stats and math background"), scored per column by how much of its name they cover,
/// rare name words counting more. Words that name a dimension ("paying", "far") add a little to its columns.
/// </summary>
internal static class MentionFinder
{
    /// <summary>Function words a column mention may span: "distance from home", "years at the company".</summary>
    private const int MaxStopsInside = 2;
    /// <summary>No column name runs longer; a longer run of column words is several mentions (and keeps the scan linear).</summary>
    private const int MaxWords = 8;

    public static List<Mention> Find(IReadOnlyList<Token> tokens, ColumnLexicon lexicon, ISet<int> consumed, CancellationToken ct)
    {
        var mentions = new List<Mention>();
        var span = new List<(Token Token, List<WordMatch> Matches)>();
        var stops = 0;
        List<WordMatch>? joined = null;
        var (initialism, spelling) = (new List<WordMatch>(), 0);
        foreach (var token in tokens)
        {
            if (token.Index % 256 == 0) ct.ThrowIfCancellationRequested();
            if (joined is not null)
            {
                // The second word of a pair that names a column together.
                span.Add((token, joined));
                joined = null;
                continue;
            }
            if (spelling == 0 && !consumed.Contains(token.Index)) (initialism, spelling) = Initials(tokens, token.Index, lexicon, consumed);
            if (spelling > 0)
            {
                // A word of a phrase whose initials spell a name word ("blood pressure" for "bp"), besides what it names itself.
                spelling--;
                var own = token.IsStop ? [] : lexicon.Match(token);
                if (span.Count > 0 && (token.StrongBefore || span.Count >= MaxWords || !SharesColumn(span, [.. own, .. initialism]))) Close(span, mentions);
                span.Add((token, [.. own, .. initialism]));
                stops = 0;
                continue;
            }
            var matches = token.Kind == TokenKind.Number ? lexicon.MatchNameNumber(tokens, token.Index) : null;
            if (consumed.Contains(token.Index) || token.Absorbed || matches is { Count: 0 })
            {
                Close(span, mentions);
                continue;
            }
            if (token.IsStop)
            {
                if (++stops > MaxStopsInside) Close(span, mentions);
                continue;
            }
            var next = token.Index + 1 < tokens.Count && !consumed.Contains(token.Index + 1) && !tokens[token.Index + 1].StrongBefore
                ? lexicon.MatchJoined(token, tokens[token.Index + 1])
                : [];
            if (matches is null && next.Count > 0) matches = joined = next;
            matches ??= lexicon.Match(token);
            if (matches.Count == 0 && token.Index > 0 && tokens[token.Index - 1].Kind == TokenKind.Number && !token.StrongBefore)
                matches = lexicon.MatchClipped(token);
            if (matches.Count == 0 && lexicon.MatchNegated(token) is { Count: > 0 } negated)
            {
                matches = negated;
                token.NegatedByPrefix = true;
            }
            if (matches.Count == 0 && !NamesDimension(token))
            {
                Close(span, mentions);
                continue;
            }
            if (span.Count > 0 && (token.StrongBefore || span.Count >= MaxWords || !SharesColumn(span, matches))) Close(span, mentions);
            span.Add((token, matches));
            stops = 0;
        }
        Close(span, mentions);
        return mentions;

        void Close(List<(Token Token, List<WordMatch> Matches)> open, List<Mention> into)
        {
            if (open.Count > 0) into.Add(new Mention(open.Select(o => o.Token).ToArray(), Evidence(open, lexicon)));
            open.Clear();
            stops = 0;
        }
    }

    /// <summary>The phrase from the token on whose initials spell a name word, unless a value took any of its words.</summary>
    private static (List<WordMatch> Matches, int Words) Initials(IReadOnlyList<Token> tokens, int at, ColumnLexicon lexicon, ISet<int> consumed)
    {
        var (matches, words) = lexicon.MatchInitials(tokens, at);
        return words > 0 && Enumerable.Range(at, words).All(i => !consumed.Contains(i) && !tokens[i].Absorbed) ? (matches, words) : ([], 0);
    }

    private static bool SharesColumn(List<(Token Token, List<WordMatch> Matches)> span, List<WordMatch> matches) =>
        matches.Any(m => span.Any(s => s.Matches.Any(o => o.Column == m.Column)));

    private static bool NamesDimension(Token token) => Dimensions(token).Any();

    /// <summary>
    /// The dimensions a word means without naming a column: "paying", "far", "earns". A unit with no number before it
    /// ("monthly") and a plain noun ("loan") say too little: every column of the dimension would share them.
    /// </summary>
    private static IEnumerable<Dimension> Dimensions(Token token) =>
        WordForms.Of(token.Text, expandAbbreviations: false)
            .Where(f => f.Strength < WordForms.Exact && Units.Of(f.Key) is null)
            .SelectMany(f => Units.Named(f.Key))
            .Distinct();

    /// <summary>Per column: the share of its name's weight the words cover (each name word counted once, at its best match).</summary>
    private static Dictionary<LexiconColumn, double> Evidence(List<(Token Token, List<WordMatch> Matches)> span, ColumnLexicon lexicon)
    {
        var evidence = span.SelectMany(s => s.Matches)
            .GroupBy(m => (m.Column, m.Word))
            .Select(g => (g.Key.Column, Score: g.Max(m => m.Strength) * g.Key.Column.Words[g.Key.Word].Weight))
            .GroupBy(x => x.Column)
            .ToDictionary(g => g.Key, g => g.Key.TotalWeight > 0 ? Math.Min(1, g.Sum(x => x.Score) / g.Key.TotalWeight) : 0);
        foreach (var dimension in span.SelectMany(s => Dimensions(s.Token)).Distinct())
            foreach (var column in lexicon.Columns.Where(c => c.Dimensions.Contains(dimension)))
                evidence[column] = evidence.GetValueOrDefault(column) + Quantity.DimensionEvidence;
        return evidence;
    }
}
