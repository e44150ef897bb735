using System.Text.RegularExpressions;

namespace Serverless.AutoMl.Data;

/// <summary>What a column's sampled values say it holds, and whether it is worth reading at all.</summary>
internal sealed record ColumnGuess(ColumnKind Kind, NumberFormat Format, string? DropReason, bool HasTimeOfDay = false, DateOrder DateOrder = DateOrder.MonthFirst);

/// <summary>Infers a column's kind from a sample of its values.</summary>
internal static partial class ColumnInference
{
    /// <summary>Multi-word values with fewer distinct values than this stay categories ("Month to month").</summary>
    private const int MinShortTextDistinct = 50;

    [GeneratedRegex(@"(^|[^a-zA-Z])(id|ID|Id)$|^(id|ID|Id)([^a-zA-Z]|$)|[a-z]Id$")]
    private static partial Regex IdName();

    [GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaGroupedNumber();

    [GeneratedRegex(@"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")]
    private static partial Regex DotGroupedNumber();

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex Integer();

    public static ColumnGuess Guess(string name, IReadOnlyList<string> sample, char separator)
    {
        var present = sample.Where(v => !CellValues.IsMissing(v)).Select(v => v.Trim()).ToList();
        var distinct = present.Distinct(StringComparer.Ordinal).Count();
        if (present.Count == 0) return new(ColumnKind.Categorical, NumberFormat.Plain, null);
        if (NumberFormatOf(present, separator) is { } format)
        {
            var idLike = distinct == present.Count && IdName().IsMatch(name) &&
                         present.All(v => CellValues.TryNumber(v, format, out var d) && d == Math.Floor(d));
            return new(ColumnKind.Numeric, format, idLike ? IdLikeReason : null);
        }
        // Flags: both truth values, and (like numbers) at most 1% of other values, which are read as missing.
        var flags = present.Select(v => CellValues.TryBoolean(v, out var flag) ? flag : (bool?)null).OfType<bool>().ToList();
        if (flags.Count >= 0.99 * present.Count && flags.Distinct().Count() == 2) return new(ColumnKind.Boolean, NumberFormat.Plain, null);
        if (DateOrderOf(present) is { } order)
            return new(ColumnKind.DateTime, NumberFormat.Plain, null,
                present.Any(v => CellValues.TryDate(v, order, out var d) && d.TimeOfDay != TimeSpan.Zero), order);
        if (IsText(present, distinct)) return new(ColumnKind.Text, NumberFormat.Plain, null);
        var idLikeCategory = present.Count > 20 && distinct >= 0.9 * present.Count;
        return new(ColumnKind.Categorical, NumberFormat.Plain, idLikeCategory ? IdLikeReason : null);
    }

    public const string IdLikeReason = "id-like: nearly every value is distinct";

    /// <summary>
    /// Dates when 95% of the values read as dates: month first (the invariant reading), else day first when that
    /// reads them ("28/01/2020" is no month-first date, so a column of them is day first, "03/04/2020" included).
    /// </summary>
    public static DateOrder? DateOrderOf(IReadOnlyList<string> present) =>
        present.Count(v => CellValues.TryDate(v, out _)) >= DateShare * present.Count ? DateOrder.MonthFirst
        : present.Count(v => CellValues.TryDate(v, DateOrder.DayFirst, out _)) >= DateShare * present.Count ? DateOrder.DayFirst
        : null;

    private const double DateShare = 0.95;

    /// <summary>
    /// Free text: long or wordy values that mostly differ, or short multi-word values built from a vocabulary at most
    /// half the size of the set of values (comments, titles), which n-grams generalize over and one-hot codes do not.
    /// Short values whose words are as varied as the values themselves (names) are ids, not text.
    /// </summary>
    private static bool IsText(List<string> present, int distinct)
    {
        var averageLength = present.Average(v => v.Length);
        var averageWords = present.Average(v => v.Count(char.IsWhiteSpace) + 1.0);
        if ((averageLength >= 30 || averageWords >= 5) && distinct >= 0.3 * present.Count) return true;
        if (averageWords < 2 || distinct < MinShortTextDistinct) return false;
        var words = present.Distinct(StringComparer.Ordinal)
            .SelectMany(v => v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).Count();
        return words <= distinct / 2;
    }

    /// <summary>
    /// The way the values write numbers, when 99% of them are numbers. Thousands separators are recognised by their
    /// groups of three digits; a lone "1,234" is a thousands separator in a comma-separated file (it had to be
    /// quoted) and a decimal comma in other files.
    /// </summary>
    private static NumberFormat? NumberFormatOf(List<string> present, char separator)
    {
        var needed = 0.99 * present.Count;
        var plain = present.Count(v => CellValues.TryNumber(v, NumberFormat.Plain, out _));
        var commaValues = present.Where(v => v.Contains(',')).ToList();
        var commaGrouped = present.Count(v => CommaGroupedNumber().IsMatch(v) || (!v.Contains(',') && CellValues.TryNumber(v, NumberFormat.Plain, out _)));
        var unambiguousGroups = commaValues.Any(v => CommaGroupedNumber().IsMatch(v) && (v.Count(c => c == ',') > 1 || v.Contains('.')));
        if (commaValues.Count > 0 && commaGrouped >= needed && (unambiguousGroups || separator == ',')) return NumberFormat.CommaGrouped;
        if (plain >= needed) return NumberFormat.Plain;
        var dotGrouped = present.Count(v => DotGroupedNumber().IsMatch(v) || Integer().IsMatch(v) ||
                                            (!v.Contains('.') && CellValues.TryNumber(v, NumberFormat.DotGrouped, out _)));
        return dotGrouped >= needed && present.Any(v => DotGroupedNumber().IsMatch(v)) ? NumberFormat.DotGrouped : null;
    }
}
