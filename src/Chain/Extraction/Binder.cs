namespace Serverless.Chain.Extraction;

/// <summary>A value given its column.</summary>
internal sealed record Binding(Candidate Candidate, LexiconColumn Column, string Value, Mention? Mention);

/// <summary>
/// Gives each value its column. Values and column mentions alternate along the question; each value takes at most one
/// mention next to it, on either side, and each mention serves one value. Of all such pairings the one with the most
/// total evidence wins (an exact dynamic programme along the question, linear in its length), so "income 500,
/// savings 20, age 41" pairs each number with its own word and "500 income 20 savings" pairs them the other way.
/// Evidence for a pairing: what the value says itself (unit, a value one column has) plus the mention's coverage of the
/// column (and, for the same column, that of mentions just beyond it or on the value's other side), less for distance, a separator in between ("," far more than "and") and a mention after the value, times how
/// plausible the value is for the column (training range, known values). A value bound to no column is left out.
/// </summary>
internal static class Binder
{
    /// <summary>Least evidence for a value to be bound.</summary>
    public const double Threshold = 0.3;
    /// <summary>The best column must beat the next by this factor, or the value is too ambiguous to place.</summary>
    public const double Margin = 1.25;
    private const double AfterValue = 0.9;
    private const double AcrossStrongBoundary = 0.25;
    private const double AcrossWeakBoundary = 0.6;
    private const int MentionsBeyond = 2;

    public static List<Binding> Bind(IReadOnlyList<Token> tokens, IReadOnlyList<Mention> mentions, IReadOnlyList<Candidate> candidates)
    {
        var items = mentions.Cast<Item>().Concat(candidates).OrderBy(i => i.First).ToArray();
        var pairs = Pair(tokens, items);
        return Assign(tokens, candidates, pairs);
    }

    /// <summary>The best pairing of values with neighbouring mentions: best[i] is the most evidence items[..i] can give.</summary>
    private static Dictionary<Candidate, Context> Pair(IReadOnlyList<Token> tokens, Item[] items)
    {
        var best = new double[items.Length + 1];
        var paired = new bool[items.Length + 1];
        for (var i = 1; i <= items.Length; i++)
        {
            best[i] = best[i - 1] + (items[i - 1] is Candidate alone ? Best(Scores(tokens, alone, null)) : 0);
            if (PairAt(items, i) is not { } pair) continue;
            var together = best[i - 2] + Best(Scores(tokens, pair.Candidate, pair.Context));
            if (together > best[i]) (best[i], paired[i]) = (together, true);
        }
        var pairs = new Dictionary<Candidate, Context>();
        for (var i = items.Length; i > 0;)
        {
            if (!paired[i]) { i--; continue; }
            var pair = PairAt(items, i)!.Value;
            pairs[pair.Candidate] = pair.Context;
            i -= 2;
        }
        return pairs;
    }

    /// <summary>
    /// The value and mention ending at items[i - 1], if they are a pair, with the mentions that may support it: the one
    /// on the value's other side ("worked at 4 companies") and up to two more beyond the paired one ("2 delinquencies
    /// in the last 2 years").
    /// </summary>
    private static (Candidate Candidate, Context Context)? PairAt(Item[] items, int i) => i < 2 ? null : (items[i - 2], items[i - 1]) switch
    {
        (Candidate c, Mention m) => (c, new Context(m, [.. Mentions(items, i - 3, -1, 1), .. Mentions(items, i, 1, MentionsBeyond)])),
        (Mention m, Candidate c) => (c, new Context(m, [.. Mentions(items, i, 1, 1), .. Mentions(items, i - 3, -1, MentionsBeyond)])),
        _ => null,
    };

    /// <summary>Up to count mentions in a row from items[from] on, stepping by step.</summary>
    private static IEnumerable<Mention> Mentions(Item[] items, int from, int step, int count)
    {
        for (var i = from; i >= 0 && i < items.Length && count-- > 0 && items[i] is Mention mention; i += step)
            yield return mention;
    }

    private static double Best(Dictionary<LexiconColumn, double> scores) => scores.Values.DefaultIfEmpty().Max();

    /// <summary>The mention a value is paired with, and mentions nearby that only support it.</summary>
    private sealed record Context(Mention Mention, IReadOnlyList<Mention> Support);

    /// <summary>Strongest first; a column already taken leaves the value its next best, if that is clear enough.</summary>
    private static List<Binding> Assign(IReadOnlyList<Token> tokens, IReadOnlyList<Candidate> candidates, Dictionary<Candidate, Context> pairs)
    {
        // Support counts only from mentions no other value took.
        var paired = pairs.Values.Select(p => p.Mention).ToHashSet();
        var contexts = pairs.ToDictionary(p => p.Key, p => p.Value with { Support = p.Value.Support.Where(m => !paired.Contains(m)).ToArray() });
        var options = candidates
            .Select(c => (Candidate: c, Mention: contexts.GetValueOrDefault(c)?.Mention, Scores: Scores(tokens, c, contexts.GetValueOrDefault(c))))
            .OrderByDescending(o => o.Scores.Values.DefaultIfEmpty().Max())
            .ToList();
        var taken = new HashSet<LexiconColumn>();
        var bindings = new List<Binding>();
        foreach (var (candidate, mention, scores) in options)
        {
            var open = scores.Where(s => !taken.Contains(s.Key)).OrderByDescending(s => s.Value).ToArray();
            if (open.Length == 0 || open[0].Value < Threshold) continue;
            if (open.Length > 1 && open[0].Value < Margin * open[1].Value) continue;
            var column = open[0].Key;
            if (candidate.ValueFor(column) is not { } value) continue;
            taken.Add(column);
            var used = mention is not null && mention.Evidence.ContainsKey(column) ? mention : null;
            if (used is not null) used.Used = true;
            bindings.Add(new Binding(candidate, column, value, used));
        }
        return bindings;
    }

    /// <summary>Evidence for each column the value fits, alone or with the mention beside it.</summary>
    private static Dictionary<LexiconColumn, double> Scores(IReadOnlyList<Token> tokens, Candidate candidate, Context? context)
    {
        var scores = new Dictionary<LexiconColumn, double>();
        foreach (var (column, own) in candidate.Own) scores[column] = own;
        if (context is not null)
        {
            var closeness = Closeness(tokens, candidate, context.Mention);
            // "3 previous owners": a plain number before the things named is their number, as "num" in "num_owners" says.
            var counts = candidate is Quantity { Unit: null } && candidate.First < context.Mention.First;
            foreach (var (column, named) in context.Mention.Evidence)
                if (candidate.Fits(column))
                    scores[column] = scores.GetValueOrDefault(column) + closeness * (counts ? Math.Min(1, named + column.CountShare) : named);
            // Support only adds to columns the paired mention names, and not across a separator.
            foreach (var other in context.Support)
                if (Closeness(tokens, candidate, other) is var support and > AcrossStrongBoundary)
                    foreach (var (column, named) in other.Evidence)
                        if (scores.ContainsKey(column) && context.Mention.Evidence.ContainsKey(column)) scores[column] += support * named;
        }
        foreach (var column in scores.Keys.ToArray()) scores[column] *= candidate.Plausibility(column);
        return scores;
    }

    /// <summary>1 for "age 41"; less for words or a separator between, and for a mention after its value.</summary>
    private static double Closeness(IReadOnlyList<Token> tokens, Item value, Item mention)
    {
        var (from, to) = value.First < mention.First ? (value.Last, mention.First) : (mention.Last, value.First);
        var words = 0;
        var weak = false;
        var strong = tokens[to].StrongBefore;
        for (var i = from + 1; i < to; i++)
        {
            strong |= tokens[i].StrongBefore;
            weak |= EnglishWords.WeakBoundaries.Contains(tokens[i].Text);
            if (!tokens[i].IsStop && !tokens[i].Absorbed && !EnglishWords.Filler.Contains(tokens[i].Text)) words++;
        }
        var closeness = 1.0 / (1 + words);
        if (strong) closeness *= AcrossStrongBoundary;
        else if (weak) closeness *= AcrossWeakBoundary;
        return value.First < mention.First ? closeness * AfterValue : closeness;
    }
}
