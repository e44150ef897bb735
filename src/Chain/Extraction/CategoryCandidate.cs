namespace Serverless.Chain.Extraction;

/// <summary>
/// Words that spell a known categorical value. A value only one column has stands on its own; one several columns
/// share ("High", "Yes") or a bare yes/no word needs its column named next to it.
/// </summary>
internal sealed class CategoryCandidate : Candidate
{
    private readonly Dictionary<LexiconColumn, ValuePhrase> _byColumn;
    private readonly Dictionary<LexiconColumn, double> _own = [];

    public CategoryCandidate(IReadOnlyList<Token> tokens, IEnumerable<ValuePhrase> phrases, bool standsAlone) : base(tokens)
    {
        _byColumn = phrases.GroupBy(p => p.Column).ToDictionary(g => g.Key, g => g.First());
        if (standsAlone && _byColumn.Count == 1 && !_byColumn.Values.Single().Generic)
            _own[_byColumn.Keys.Single()] = 1;
    }

    public override IReadOnlyDictionary<LexiconColumn, double> Own => _own;

    public override bool Fits(LexiconColumn column) => _byColumn.ContainsKey(column);

    public override double Plausibility(LexiconColumn column) => Fits(column) ? 1 : 0;

    public override string? ValueFor(LexiconColumn column) => _byColumn.GetValueOrDefault(column)?.Value;

    /// <summary>"not married": with two values the other one is meant; with more, nothing can be said.</summary>
    public CategoryCandidate? Negated(IReadOnlyList<Token> tokens)
    {
        if (_byColumn.Count != 1) return null;
        var (column, phrase) = _byColumn.Single();
        var others = column.Column.Values?.Where(v => v != phrase.Value).ToArray() ?? [];
        return others.Length == 1
            ? new CategoryCandidate(tokens, [phrase with { Value = others[0], Generic = false }], standsAlone: true)
            : null;
    }
}
