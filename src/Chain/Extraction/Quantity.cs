using System.Globalization;

namespace Serverless.Chain.Extraction;

/// <summary>What stands around a number: whether it is a clause of its own, and the content words right beside it in its clause.</summary>
internal sealed record NumberSetting(bool Alone, IReadOnlyList<Token> Beside);

/// <summary>Whether a number is the value itself or a bound of it.</summary>
internal enum Comparison { Exactly, Below, Above }

/// <summary>
/// A number with what follows it: a unit ("36 months", "4.5 kg"), a rate ("80 a month"), "%" or a currency. The unit
/// is evidence for columns that name it or its dimension, and converts the number into the unit a column name states.
/// </summary>
internal sealed class Quantity : Candidate
{
    /// <summary>How far past a bound "below 0" or "more than 10" reaches into the range beyond it.</summary>
    private const double PastBound = 1e-6;

    /// <summary>What a unit or a currency adds to a column of its dimension.</summary>
    public const double DimensionEvidence = 0.35;
    /// <summary>Just outside the training range (a quarter of its width at most).</summary>
    private const double JustOutOfRange = 0.9;
    /// <summary>Outside the training range, but within one range width of it.</summary>
    private const double NearRange = 0.6;
    /// <summary>Far outside: kept only when the column is named outright (the answer then warns).</summary>
    private const double FarOutOfRange = 0.35;

    private readonly Dictionary<LexiconColumn, double> _own = [];

    /// <param name="unitWord">The word of the unit ("months", "kg"), or the one a clock time implies ("hour" for "5 pm").</param>
    /// <param name="rateWord">The time a rate is per ("month" of "80 a month").</param>
    /// <param name="setting">What stands around the number in its clause.</param>
    public Quantity(IReadOnlyList<Token> tokens, ColumnLexicon lexicon, double number, Unit? unit, string? unitWord, string? rateWord,
        NumberSetting setting) : base(tokens)
    {
        Number = number;
        Unit = unit;
        var first = tokens[0];
        var named = NameEvidence(lexicon, unitWord, rate: false);
        foreach (var (column, evidence) in NameEvidence(lexicon, rateWord, rate: true)) named[column] = named.GetValueOrDefault(column) + evidence;
        var measured = lexicon.Columns.Where(Fits).Where(c => unit is not null && c.Dimensions.Contains(unit.Dimension)).ToList();
        // "36 months" is a duration sooner than an age (counted in years), unless the age is the only candidate.
        var unlikely = measured.Where(c => c.ImpliedUnit is { } implied && implied != unit).ToHashSet();
        if (unlikely.Count == measured.Count) unlikely.Clear();
        var implied = unit is null && unitWord is null && rateWord is null && !first.Percent && !first.Currency
            ? ImpliedColumn(lexicon, number, setting)
            : null;
        foreach (var column in lexicon.Columns.Where(Fits))
        {
            var own = named.GetValueOrDefault(column);
            if (column == implied) own += DimensionEvidence;
            if (measured.Contains(column)) own += unlikely.Contains(column) ? DimensionEvidence / 2 : DimensionEvidence;
            if ((first.Percent && column.Dimensions.Contains(Dimension.Percent)) || (first.Currency && column.Dimensions.Contains(Dimension.Money)))
                own += DimensionEvidence;
            if (own > 0) _own[column] = own;
        }
    }

    public double Number { get; }
    /// <summary>Whether the number is the value or a bound of it: "below 0" picks the category "&lt;0".</summary>
    public Comparison Comparison { get; init; }
    public Unit? Unit { get; }
    public bool Percent => Tokens[0].Percent || Unit?.Dimension == Dimension.Percent;

    public override IReadOnlyDictionary<LexiconColumn, double> Own => _own;

    public override bool Fits(LexiconColumn column) => column.Role is ColumnRole.Number or ColumnRole.Flag or ColumnRole.NumberedCategory;

    public override double Plausibility(LexiconColumn column)
    {
        // "two years" is no loan amount: a unit of one dimension never gives a column whose name states another.
        if (Unit is { } unit && column.Dimensions.Count > 0 && !column.Dimensions.Contains(unit.Dimension)) return 0;
        // A column that names time but not its unit is taken to count in the unit the question uses ("20 months" of a
        // duration), but hardly any column counts weeks: "2 weeks" is 14 in days, 0.5 in months, so it is left out.
        if (Unit is { } measured && Units.SeldomCounted(measured) && column is { Role: ColumnRole.Number, Unit: null, ImpliedUnit: null } &&
            column.Dimensions.Contains(measured.Dimension)) return 0;
        var value = In(column);
        if (column.Role == ColumnRole.NumberedCategory) return NumberedValues.Fit(column.Numbered, value);
        if (column.Role == ColumnRole.Flag) return value is 0 or 1 && column.Column.Kind == AutoMl.ColumnKind.Numeric ? 1 : 0;
        if (column.Column.Min is not { } min || column.Column.Max is not { } max) return 1;
        if (value >= min && value <= max) return 1;
        if (value < 0 && min >= 0) return 0;
        var range = Math.Max(max - min, Math.Abs(max) * 0.1);
        var outside = Math.Max(min - value, value - max) / range;
        return outside <= 0.25 ? JustOutOfRange : outside <= 1 ? NearRange : FarOutOfRange;
    }

    public override string? ValueFor(LexiconColumn column)
    {
        var value = In(column);
        return column.Role == ColumnRole.NumberedCategory
            ? NumberedValues.Pick(column.Numbered, value)
            : Math.Round(value, 10).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The number in the column's terms: "2 years" for a column in months is 24, "12%" of a 0-1 column is 0.12.</summary>
    private double In(LexiconColumn column)
    {
        var value = Number;
        if (Unit is { } unit && column.Unit is { } target && unit.Dimension == target.Dimension && unit.Dimension != Dimension.Percent)
            value = value * unit.Factor / target.Factor;
        if (Percent && column.Column.Max is <= 1 && value > 1) value /= 100;
        if (column.Role == ColumnRole.NumberedCategory)
            value += Comparison switch { Comparison.Below => -PastBound, Comparison.Above => PastBound, _ => 0 };
        return value;
    }

    /// <summary>
    /// Where a number nothing is said about goes: a four-digit year ("a 2015 Corolla") to the one column holding years, a
    /// number standing alone ("fiber, 12") to the model's one number column. Evidence as a unit gives, so a column
    /// named beside the number still wins; a year beside words naming another number column or the label ("price
    /// 2000", "lot of 2000") goes nowhere by itself.
    /// </summary>
    private static LexiconColumn? ImpliedColumn(ColumnLexicon lexicon, double number, NumberSetting setting)
    {
        if (IsCalendarYear(number) && lexicon.Columns.Where(c => c.HoldsYears).ToList() is [var years])
            return setting.Beside.All(t => !lexicon.NamesLabelColumn(t) && lexicon.Match(t).All(m => m.Column == years || !m.Column.Takes(number)))
                ? years
                : null;
        return setting.Alone && lexicon.Columns.Where(c => c.Role == ColumnRole.Number).ToList() is [var sole] ? sole : null;
    }

    private static bool IsCalendarYear(double number) => number % 1 == 0 && number is >= LexiconColumn.FirstYear and <= LexiconColumn.LastYear;

    /// <summary>
    /// How much of each column's name the unit word is ("months" of "months_loan_duration", "miles" of "Mileage"),
    /// durations and rates apart ("3 months" is no "monthly" amount).
    /// </summary>
    private static Dictionary<LexiconColumn, double> NameEvidence(ColumnLexicon lexicon, string? word, bool rate) =>
        word is null ? [] : lexicon.Match(word)
            .Where(m => m.Column.Words[m.Word] is var name && name.IsRate == rate && !name.IsPeriod && m.Column.TotalWeight > 0)
            .GroupBy(m => (m.Column, m.Word))
            .Select(g => (g.Key.Column, Score: g.Max(m => m.Strength) * g.Key.Column.Words[g.Key.Word].Weight / g.Key.Column.TotalWeight))
            .GroupBy(x => x.Column)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Score));
}
