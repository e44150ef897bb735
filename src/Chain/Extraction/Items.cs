namespace Serverless.Chain.Extraction;

/// <summary>A stretch of the question the binder works with: a column mention or a value looking for its column.</summary>
internal abstract class Item(IReadOnlyList<Token> tokens)
{
    public IReadOnlyList<Token> Tokens { get; } = tokens;
    public int First => Tokens[0].Index;
    public int Last => Tokens[^1].Index;
}

/// <summary>Words that name one or more columns ("monthly income", "aged"), with how strongly each column is named.</summary>
internal sealed class Mention(IReadOnlyList<Token> tokens, IReadOnlyDictionary<LexiconColumn, double> evidence) : Item(tokens)
{
    public IReadOnlyDictionary<LexiconColumn, double> Evidence { get; } = evidence;
    /// <summary>A value was bound to it, or it set a yes/no column.</summary>
    public bool Used { get; set; }

    public (LexiconColumn Column, double Score) Best() => Evidence.MaxBy(e => e.Value) is var best ? (best.Key, best.Value) : default;

    public double SecondScore() => Evidence.Values.OrderDescending().Skip(1).FirstOrDefault();
}

/// <summary>
/// A value whose column is still open: a number (with its unit) or a categorical value several columns share. Own is
/// what the value says by itself about each column it may belong to (a unit, a value only one column has).
/// </summary>
internal abstract class Candidate(IReadOnlyList<Token> tokens) : Item(tokens)
{
    public abstract IReadOnlyDictionary<LexiconColumn, double> Own { get; }

    /// <summary>Which columns the value can go to at all.</summary>
    public abstract bool Fits(LexiconColumn column);

    /// <summary>How believable the value is for the column (its training range, its known values), 0 to 1.</summary>
    public abstract double Plausibility(LexiconColumn column);

    /// <summary>The value as the column records it.</summary>
    public abstract string? ValueFor(LexiconColumn column);
}
