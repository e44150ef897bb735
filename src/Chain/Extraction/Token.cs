namespace Serverless.Chain.Extraction;

internal enum TokenKind { Word, Number }

/// <summary>One word or number of a question, lower case, with what the passes learn about it.</summary>
internal sealed class Token(int index, int start, int end, string original)
{
    public int Index { get; } = index;
    /// <summary>Character offsets in the question.</summary>
    public int Start { get; } = start;
    public int End { get; set; } = end;
    /// <summary>As typed: "CA" and "ca" differ for a code.</summary>
    public string Original { get; } = original;
    public string Text { get; } = original.ToLowerInvariant();
    public string Stem { get; } = Stemmer.Stem(original.ToLowerInvariant());
    public TokenKind Kind { get; set; }
    public double Number { get; set; }
    public bool Percent { get; set; }
    public bool Currency { get; set; }
    /// <summary>A slash follows the number: "79.99/month", "105/mo" are rates.</summary>
    public bool SlashAfter { get; set; }
    /// <summary>A comma, semicolon, full stop, bracket or line break stands between this token and the one before.</summary>
    public bool StrongBefore { get; set; }
    /// <summary>Names a yes/no column with a negating prefix: "inactive", "unmarried", "nonsmoker".</summary>
    public bool NegatedByPrefix { get; set; }
    /// <summary>Part of a number written in words that an earlier token stands for ("twenty [five]").</summary>
    public bool Absorbed { get; set; }

    public bool IsStop => Kind == TokenKind.Word && EnglishWords.Stop.Contains(Text);

    public override string ToString() => Kind == TokenKind.Number ? $"#{Number}" : Text;
}
