using Serverless.AutoMl;

namespace Serverless.Chain.Extraction;

/// <summary>Columns a question sets by naming them alone: yes/no columns, and numbers after a negation.</summary>
internal static class NamedColumns
{
    /// <summary>How many words before a column mention a negation still applies: "does not code as a hobby".</summary>
    private const int NegationReach = 3;
    /// <summary>Least coverage of a yes/no column's name for naming it to set it.</summary>
    private const double FlagCoverage = 0.6;

    /// <summary>
    /// A mention no value took: a yes/no column named outright is set ("a member without a pension plan"), and a
    /// number column named after a negation is zero ("no sulfur", "never pregnant").
    /// </summary>
    public static bool Set(IReadOnlyList<Token> tokens, Mention mention, HashSet<int> used, Dictionary<string, string?> values)
    {
        if (mention.Evidence.Count == 0) return false;
        var (column, score) = mention.Best();
        if (values.ContainsKey(column.Name) || score < FlagCoverage || mention.SecondScore() * Binder.Margin > score) return false;
        var negated = Answer(tokens, mention) is { } answer ? !answer : Negated(tokens, mention.First, used) != mention.Tokens.Any(t => t.NegatedByPrefix);
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

    /// <summary>"device protection: yes", "streaming no": a yes or no right after the mention answers it.</summary>
    private static bool? Answer(IReadOnlyList<Token> tokens, Mention mention)
    {
        if (mention.Last + 1 >= tokens.Count || tokens[mention.Last + 1].StrongBefore) return null;
        var word = tokens[mention.Last + 1].Text;
        return EnglishWords.TrueWords.Contains(word) ? true : EnglishWords.FalseWords.Contains(word) ? false : null;
    }

    /// <summary>"guarantor 80": a value stands beside the mention that could not be placed, so the mention is not a yes.</summary>
    public static bool NextTo(IReadOnlyList<Token> tokens, Mention mention, HashSet<int> unplaced)
    {
        for (var i = mention.First - 1; i >= 0 && !tokens[i + 1].StrongBefore; i--)
            if (!tokens[i].IsStop) return unplaced.Contains(i);
        for (var i = mention.Last + 1; i < tokens.Count && !tokens[i].StrongBefore; i++)
            if (!tokens[i].IsStop) return unplaced.Contains(i);
        return false;
    }

    /// <summary>How the yes/no column writes yes or no.</summary>
    public static string FlagValue(ModelColumn column, bool value)
    {
        var known = column.Values ?? (column.Kind == ColumnKind.Numeric ? ["1", "0"] : ["true", "false"]);
        return known.FirstOrDefault(v => EnglishWords.TrueWords.Contains(v.ToLowerInvariant()) == value) ?? value.ToString().ToLowerInvariant();
    }
}
