namespace Serverless.Chain.Extraction;

/// <summary>
/// Turns the free numbers of a question into quantities: numbers written as words become numbers ("twenty five"),
/// "3 thousand" is 3000, and the unit after a number joins it ("36 months", "4.5 kg", "80 a month", "12 percent").
/// </summary>
internal static class QuantityReader
{
    private static readonly HashSet<string> RateWords = ["a", "an", "per", "each", "every"];
    private static readonly Dictionary<string, double> ClockHalves = new() { ["am"] = 0, ["pm"] = 12 };
    /// <summary>"2 times": a count of occurrences, not a column word ("time").</summary>
    private static readonly HashSet<string> CountWords = ["times"];
    /// <summary>"who is 40", "my wife is 39": a bare number after a person and a copula is the person's age.</summary>
    private static readonly HashSet<string> Copulas = ["is", "am", "was"];
    /// <summary>What a column word implying an age answers to ("61 years old").</summary>
    private const string AgeWord = "old";
    private const double DecadeMiddle = 5;
    /// <summary>"10% off", "20 percent off": the percent is a discount.</summary>
    private const string Off = "off";
    private const string DiscountWord = "discount";
    private static readonly HashSet<string> Possessives = ["their", "his", "her", "my", "your"];
    private static readonly Dictionary<string, double> Multipliers = new() { ["thousand"] = 1e3, ["million"] = 1e6, ["billion"] = 1e9 };

    public static List<Quantity> Read(IReadOnlyList<Token> tokens, ColumnLexicon lexicon, ISet<int> consumed)
    {
        ReadNumberWords(tokens, consumed);
        var quantities = new List<Quantity>();
        // Two numbers standing alone say nothing about which is which.
        var lone = tokens.Count(t => t.Kind == TokenKind.Number && !t.Absorbed && !consumed.Contains(t.Index) && Clause(tokens, t.Index, t.Index + 1)) == 1;
        foreach (var number in tokens.Where(t => t.Kind == TokenKind.Number && !t.Absorbed && !consumed.Contains(t.Index)))
        {
            if (lexicon.MatchNameNumber(tokens, number.Index).Count > 0 || lexicon.InLabelName(tokens, number.Index)) continue;
            var parts = new List<Token> { number };
            var next = number.Index + 1;
            while (next < tokens.Count && tokens[next].Absorbed) parts.Add(tokens[next++]);
            if (Free(tokens, next, consumed) && Multipliers.TryGetValue(tokens[next].Text, out var multiplier))
            {
                number.Number *= multiplier;
                parts.Add(tokens[next++]);
            }
            var value = number.Number;
            var decade = Decade(tokens, number, next);
            if (decade)
            {
                // "in their 30s", "mid-30s": the middle of the decade.
                value += DecadeMiddle;
                parts.Add(tokens[next++]);
            }
            var unit = Free(tokens, next, consumed) && !lexicon.ModifiesNext(tokens, next) ? UnitOf(tokens[next]) : null;
            string? unitWord = decade && OfAPerson(tokens, number.Index) ? AgeWord : null, rateWord = null;
            if (Free(tokens, next, consumed) && ClockHalves.TryGetValue(tokens[next].Text, out var afternoon) && value is >= 1 and <= 12)
            {
                // "5 pm" is hour 17 of the day.
                value = value % 12 + afternoon;
                unitWord = "hour";
                parts.Add(tokens[next++]);
            }
            else if (unit is not null)
            {
                // "monthly", and "/month" or "/mo" after the number: a rate.
                if (IsRateWord(tokens[next]) || (number.SlashAfter && unit.Dimension == Dimension.Time)) (rateWord, unit) = (tokens[next].Text, null);
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
            if (Percent(number, unit) && Free(tokens, next, consumed) && tokens[next].Text == Off)
            {
                // "10% off" is a discount.
                unitWord = DiscountWord;
                parts.Add(tokens[next++]);
            }
            else if (unit is null && unitWord is null && rateWord is null && Free(tokens, next, consumed) && CountWords.Contains(tokens[next].Text))
                parts.Add(tokens[next++]);
            else if (unit is null && unitWord is null && rateWord is null && StandsForAnAge(tokens, number.Index, next))
                unitWord = AgeWord;
            foreach (var part in parts) consumed.Add(part.Index);
            var alone = lone && unit is null && unitWord is null && rateWord is null && parts.Count == 1 && Clause(tokens, number.Index, next);
            var setting = new NumberSetting(alone, Beside(tokens, number.Index, next));
            quantities.Add(new Quantity(parts, lexicon, value, unit, unitWord, rateWord, setting) { Comparison = ComparisonBefore(tokens, number.Index) });
        }
        return quantities;
    }

    /// <summary>The number is a clause of its own: "fiber, 12, two lines" or a question ending in "…, 12?".</summary>
    private static bool Clause(IReadOnlyList<Token> tokens, int at, int next) =>
        (at == 0 || tokens[at].StrongBefore) && (next >= tokens.Count || tokens[next].StrongBefore);

    /// <summary>The content words nearest the number on either side, function words skipped, within its clause.</summary>
    private static List<Token> Beside(IReadOnlyList<Token> tokens, int at, int next)
    {
        var beside = new List<Token>();
        for (var i = at - 1; i >= 0 && !tokens[i + 1].StrongBefore; i--)
            if (!tokens[i].IsStop) { beside.Add(tokens[i]); break; }
        for (var i = next; i < tokens.Count && !tokens[i].StrongBefore; i++)
            if (!tokens[i].IsStop) { beside.Add(tokens[i]); break; }
        return beside;
    }

    /// <summary>"30s" typed as one word: a whole decade, optionally "mid" ("mid-30s"); "early" or "late" say too little.</summary>
    private static bool Decade(IReadOnlyList<Token> tokens, Token number, int next) =>
        next < tokens.Count && tokens[next].Text == "s" && tokens[next].Start == number.End && number.Number is >= 10 and <= 90 &&
        number.Number % 10 == 0 && (number.Index == 0 || tokens[number.Index - 1].Text is not ("early" or "late"));

    /// <summary>"in their 30s", "his mid-30s": a decade of a person's life.</summary>
    private static bool OfAPerson(IReadOnlyList<Token> tokens, int at)
    {
        var before = at - 1;
        if (before >= 0 && tokens[before].Text == "mid" && !tokens[at].StrongBefore) before--;
        return before >= 0 && !tokens[before + 1].StrongBefore && Possessives.Contains(tokens[before].Text);
    }

    /// <summary>
    /// A bare number that ends its clause right after a person ("woman, 28", "a man 50"), or after a person and a
    /// copula ("someone who is 40", "my wife is 39", "I'm 23"), is that person's age, as "28 years old" would be.
    /// </summary>
    private static bool StandsForAnAge(IReadOnlyList<Token> tokens, int at, int next)
    {
        if (next < tokens.Count && !tokens[next].StrongBefore && !tokens[next].IsStop) return false;
        if (at == 0 || tokens[at].Number is < 1 or > 120 || tokens[at].Number % 1 != 0) return false;
        var before = tokens[at - 1];
        if (tokens[at].StrongBefore) return EnglishWords.People.Contains(before.Text);
        if (EnglishWords.PersonIs.Contains(before.Text)) return true;
        if (!Copulas.Contains(before.Text) || before.StrongBefore) return EnglishWords.People.Contains(before.Text);
        return at >= 2 && EnglishWords.People.Contains(tokens[at - 2].Text);
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

    private static bool Percent(Token number, Unit? unit) => number.Percent || unit?.Dimension == Dimension.Percent;

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
