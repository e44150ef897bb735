namespace Serverless.Chain.Extraction;

/// <summary>
/// Turns the free numbers of a question into quantities: numbers written as words become numbers ("twenty five"),
/// "3 thousand" is 3000, and the unit after a number joins it ("36 months", "4.5 kg", "80 a month", "12 percent").
/// </summary>
internal static class QuantityReader
{
    private static readonly HashSet<string> RateWords = ["a", "an", "per", "each", "every"];
    private static readonly Dictionary<string, double> ClockHalves = new() { ["am"] = 0, ["pm"] = 12 };
    private static readonly Dictionary<string, double> Multipliers = new() { ["thousand"] = 1e3, ["million"] = 1e6, ["billion"] = 1e9 };

    public static List<Quantity> Read(IReadOnlyList<Token> tokens, ColumnLexicon lexicon, ISet<int> consumed)
    {
        ReadNumberWords(tokens, consumed);
        var quantities = new List<Quantity>();
        foreach (var number in tokens.Where(t => t.Kind == TokenKind.Number && !t.Absorbed && !consumed.Contains(t.Index)))
        {
            if (lexicon.MatchNameNumber(tokens, number.Index).Count > 0) continue;
            var parts = new List<Token> { number };
            var next = number.Index + 1;
            while (next < tokens.Count && tokens[next].Absorbed) parts.Add(tokens[next++]);
            if (Free(tokens, next, consumed) && Multipliers.TryGetValue(tokens[next].Text, out var multiplier))
            {
                number.Number *= multiplier;
                parts.Add(tokens[next++]);
            }
            var value = number.Number;
            var unit = Free(tokens, next, consumed) ? UnitOf(tokens[next]) : null;
            string? unitWord = null, rateWord = null;
            if (Free(tokens, next, consumed) && ClockHalves.TryGetValue(tokens[next].Text, out var afternoon) && value is >= 1 and <= 12)
            {
                // "5 pm" is hour 17 of the day.
                value = value % 12 + afternoon;
                unitWord = "hour";
                parts.Add(tokens[next++]);
            }
            else if (unit is not null)
            {
                if (IsRateWord(tokens[next])) (rateWord, unit) = (tokens[next].Text, null);
                else unitWord = tokens[next].Text;
                parts.Add(tokens[next++]);
            }
            if (rateWord is null && Free(tokens, next, consumed) && Free(tokens, next + 1, consumed) && RateWords.Contains(tokens[next].Text) &&
                UnitOf(tokens[next + 1]) is { Dimension: Dimension.Time })
            {
                rateWord = tokens[next + 1].Text;
                parts.Add(tokens[next]);
                parts.Add(tokens[next + 1]);
            }
            foreach (var part in parts) consumed.Add(part.Index);
            quantities.Add(new Quantity(parts, lexicon, value, unit, unitWord, rateWord) { Comparison = ComparisonBefore(tokens, number.Index) });
        }
        return quantities;
    }

    /// <summary>"below 0", "less than 1", "more than 10": the number is a bound, not the value.</summary>
    private static Comparison ComparisonBefore(IReadOnlyList<Token> tokens, int at)
    {
        if (at == 0 || tokens[at].StrongBefore) return Comparison.Exactly;
        var before = tokens[at - 1].Text;
        var than = before == "than" && at >= 2 && !tokens[at - 1].StrongBefore ? tokens[at - 2].Text : null;
        if (before is "below" or "under" || than is "less" or "fewer" or "lower") return Comparison.Below;
        return before is "above" || than is "more" or "greater" or "higher" ? Comparison.Above : Comparison.Exactly;
    }

    /// <summary>"monthly", "yearly": a rate, not a duration.</summary>
    private static bool IsRateWord(Token token) =>
        token.Text.EndsWith("ly", StringComparison.Ordinal) || EnglishWords.Related.GetValueOrDefault(token.Text)?.EndsWith("ly", StringComparison.Ordinal) == true;

    private static Unit? UnitOf(Token token) => token.Kind != TokenKind.Word ? null :
        WordForms.Of(token.Text, expandAbbreviations: true).Select(f => Units.Of(f.Key)).FirstOrDefault(u => u is not null);

    private static bool Free(IReadOnlyList<Token> tokens, int index, ISet<int> consumed) =>
        index < tokens.Count && !consumed.Contains(index) && !tokens[index].StrongBefore;

    /// <summary>Free words that spell a number become a number token; the words after its first are absorbed.</summary>
    private static void ReadNumberWords(IReadOnlyList<Token> tokens, ISet<int> consumed)
    {
        var words = tokens.Select(t => t.Kind == TokenKind.Word && !consumed.Contains(t.Index) ? t.Text : "").ToArray();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!NumberWords.IsNumberWord(words[i]) && words[i] is not ("a" or "an")) continue;
            var (value, length) = NumberWords.Read(words, i);
            if (length == 0 || Spans(tokens, i, length)) continue;
            tokens[i].Kind = TokenKind.Number;
            tokens[i].Number = value;
            for (var k = i + 1; k < i + length; k++) tokens[k].Absorbed = true;
            i += length - 1;
        }
    }

    private static bool Spans(IReadOnlyList<Token> tokens, int first, int length)
    {
        for (var k = first + 1; k < first + length; k++)
            if (tokens[k].StrongBefore) return true;
        return false;
    }
}
