using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.AutoMl;

namespace Serverless.Chain.Extraction;

/// <summary>A categorical value that stands for a number or a range of numbers: "term_36", "z95838", "1&lt;=X&lt;4", "emp_ge_10".</summary>
internal sealed record ValueRange(string Value, double Min, bool MinIncluded, double Max, bool MaxIncluded)
{
    public bool Contains(double number) =>
        (number > Min || (MinIncluded && number == Min)) && (number < Max || (MaxIncluded && number == Max));

    public bool IsExact => Min == Max;
}

/// <summary>
/// Finds the values of a categorical column that a number picks: values that are one pattern around a number
/// ("term_36", "term_60"; "z95838"; "One Year", "Two Year") and values that state a range ("&lt;0", "0&lt;=X&lt;200", "&gt;=7", "emp_lt_1",
/// "emp_ge_10"). A column is read this way when at least half its values are.
/// </summary>
internal static partial class NumberedValues
{
    private const double InRange = 0.9;
    private const double OpenEnded = 0.7;

    public static IReadOnlyList<ValueRange> Of(ModelColumn column)
    {
        var values = column.Values ?? [];
        var ranges = values.Select(Range).OfType<ValueRange>().ToList();
        var exact = SharedPattern(values.Where(v => ranges.All(r => r.Value != v)).ToList());
        return (ranges.Count + exact.Count) * 2 >= values.Count && ranges.Count + exact.Count > 0 ? [.. exact, .. ranges] : [];
    }

    /// <summary>How well the number fits: it is a value (1), lies in a range (0.9), or only in an open-ended one ("&gt;=10").</summary>
    public static double Fit(IReadOnlyList<ValueRange> ranges, double number) =>
        ranges.Where(r => r.Contains(number))
            .Select(r => r.IsExact ? 1 : double.IsInfinity(r.Min) || double.IsInfinity(r.Max) ? OpenEnded : InRange)
            .DefaultIfEmpty(0).Max();

    /// <summary>The value the number picks: one that is the number, else the range that holds it.</summary>
    public static string? Pick(IReadOnlyList<ValueRange> ranges, double number) =>
        (ranges.FirstOrDefault(r => r.IsExact && r.Contains(number)) ?? ranges.FirstOrDefault(r => r.Contains(number)))?.Value;

    private static ValueRange? Range(string value)
    {
        if (Between().Match(value) is { Success: true } between)
            return new ValueRange(value, Number(between, "lo"), between.Groups["loop"].Value == "<=", Number(between, "hi"), between.Groups["hiop"].Value == "<=");
        if (Bound().Match(value) is not { Success: true } bound) return null;
        var n = Number(bound, "n");
        return bound.Groups["op"].Value switch
        {
            "<" or "lt" => new ValueRange(value, double.NegativeInfinity, false, n, false),
            "<=" or "le" => new ValueRange(value, double.NegativeInfinity, false, n, true),
            ">" or "gt" => new ValueRange(value, n, false, double.PositiveInfinity, false),
            _ => new ValueRange(value, n, true, double.PositiveInfinity, false),
        };
    }

    /// <summary>Values that differ only by one number, the rest shared by most of them ("term_36", "term_60").</summary>
    private static List<ValueRange> SharedPattern(IReadOnlyList<string> values)
    {
        var parsed = values.Select(v => (Value: v, Skeleton: Digits().Replace(WithDigits(v), "#")))
            .Where(v => v.Skeleton.Count(c => c == '#') == 1 && v.Skeleton.Any(char.IsLetter))
            .ToList();
        var common = parsed.GroupBy(v => v.Skeleton).MaxBy(g => g.Count());
        if (common is null || common.Count() * 2 < values.Count) return [];
        return common.Select(v => (v.Value, Number: double.Parse(Digits().Match(WithDigits(v.Value)).Value, CultureInfo.InvariantCulture)))
            .Select(v => new ValueRange(v.Value, v.Number, true, v.Number, true))
            .ToList();
    }

    /// <summary>"One Year" as "1 Year": a number written as a word is a number too.</summary>
    private static string WithDigits(string value) => Word().Replace(value, word =>
        NumberWords.Read([word.Value.ToLowerInvariant()], 0) is (var number, 1) ? number.ToString(CultureInfo.InvariantCulture) : word.Value);

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    [GeneratedRegex(@"^\s*(?<lo>-?\d+(?:\.\d+)?)\s*(?<loop><=|<)\s*[A-Za-z]\s*(?<hiop><=|<)\s*(?<hi>-?\d+(?:\.\d+)?)\s*$")]
    private static partial Regex Between();

    [GeneratedRegex(@"(?:^\s*|[_\s-])(?<op><=|>=|<|>|lt|le|gt|ge)[_\s-]*(?<n>-?\d+(?:\.\d+)?)\s*$|^\s*(?<op><=|>=|<|>)\s*(?<n>-?\d+(?:\.\d+)?)\s*$")]
    private static partial Regex Bound();
}
