using System.Globalization;

namespace Serverless.AutoMl.Data;

/// <summary>How raw cell text is read: missing tokens, numbers, booleans, dates. Shared by training and serving.</summary>
internal static class CellValues
{
    private static readonly NumberFormatInfo DotGrouping = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };
    private const NumberStyles Grouped = NumberStyles.Float | NumberStyles.AllowThousands;

    public static bool IsMissing(string? value) => value is null || IsMissing(value.AsSpan());

    public static bool IsMissing(ReadOnlySpan<char> value)
    {
        var text = value.Trim();
        return text.Length switch
        {
            0 => true,
            1 => text[0] == '?',
            2 => text.Equals("NA", StringComparison.OrdinalIgnoreCase),
            3 => text.Equals("N/A", StringComparison.OrdinalIgnoreCase) || text.Equals("NaN", StringComparison.OrdinalIgnoreCase),
            4 => text.Equals("null", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    public static bool TryNumber(string value, out double number) => TryNumber(value.AsSpan(), NumberFormat.Plain, out number);

    public static bool TryNumber(ReadOnlySpan<char> value, NumberFormat format, out double number)
    {
        var text = value.Trim();
        switch (format)
        {
            case NumberFormat.CommaGrouped:
                return double.TryParse(text, Grouped, CultureInfo.InvariantCulture, out number);
            case NumberFormat.DotGrouped:
                return double.TryParse(text, Grouped, DotGrouping, out number);
            default:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return true;
                // Decimal comma, as in files from ';'-separated locales.
                var comma = text.IndexOf(',');
                if (comma < 0 || text.LastIndexOf(',') != comma || text.Contains('.') || text.Length > 64) return false;
                Span<char> copy = stackalloc char[text.Length];
                text.CopyTo(copy);
                copy[comma] = '.';
                return double.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }
    }

    public static bool TryBoolean(string value, out bool flag) => TryBoolean(value.AsSpan(), out flag);

    public static bool TryBoolean(ReadOnlySpan<char> value, out bool flag)
    {
        var text = value.Trim();
        flag = Is(text, "true") || Is(text, "yes") || Is(text, "y") || Is(text, "t");
        return flag || Is(text, "false") || Is(text, "no") || Is(text, "n") || Is(text, "f");
    }

    private static bool Is(ReadOnlySpan<char> text, string token) => text.Equals(token, StringComparison.OrdinalIgnoreCase);

    public static bool TryDate(string value, out DateTime date) => TryDate(value.AsSpan(), out date);

    public static bool TryDate(ReadOnlySpan<char> value, out DateTime date)
    {
        var text = value.Trim();
        date = default;
        if (TryQuarter(text, out date)) return true;
        // Plain numbers parse as dates in some formats; a date needs a date or time separator, or a month's name and a
        // year ("Jan 2020", "March 2021"): a month's name alone ("May") is a category, not a date.
        return text.Length >= 6 && (text.IndexOfAny('-', '/', ':') >= 0 || NamesMonthOfYear(text)) &&
               DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out date);
    }

    /// <summary>A date as a column of that order writes it: day first tries "28/01/2020" before the invariant reading.</summary>
    public static bool TryDate(ReadOnlySpan<char> value, DateOrder order, out DateTime date) =>
        (order == DateOrder.DayFirst && TryDayFirst(value, out date)) || TryDate(value, out date);

    private static readonly string[] DayFirstFormats =
        [.. from day in new[] { "d/M/yyyy", "d-M-yyyy", "d.M.yyyy" } from time in new[] { "", " H:mm", " H:mm:ss" } select day + time];

    public static bool TryDayFirst(ReadOnlySpan<char> value, out DateTime date) =>
        DateTime.TryParseExact(value.Trim(), DayFirstFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>"2020 Q1", "2020Q1", "2020-Q1", "Q1 2020", "q1-2020": the quarter's first day.</summary>
    private static bool TryQuarter(ReadOnlySpan<char> text, out DateTime date)
    {
        date = default;
        var q = text.IndexOfAny('Q', 'q');
        if (text.Length is < 6 or > 9 || q < 0 || q + 1 >= text.Length || text[q + 1] is < '1' or > '4') return false;
        // The year stands on the quarter's other side, with at most a separator between.
        var year = q == 0 ? text[2..].TrimStart(" -/") : q + 2 == text.Length ? text[..q].TrimEnd(" -/") : default;
        if (year.Length != 4 || !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 1) return false;
        date = new DateTime(y, 3 * (text[q + 1] - '0') - 2, 1);
        return true;
    }

    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];

    private static bool NamesMonthOfYear(ReadOnlySpan<char> text)
    {
        var (letters, digits) = (0, 0);
        foreach (var c in text)
        {
            if (char.IsAsciiLetter(c)) letters++;
            else if (char.IsAsciiDigit(c)) digits++;
        }
        if (letters < 3 || digits < 4) return false;
        foreach (var month in MonthNames)
            if (text.Contains(month, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>Category and text values as the model sees them: trimmed, on one line.</summary>
    public static string Clean(ReadOnlySpan<char> value)
    {
        var text = value.Trim();
        if (text.IndexOfAny('\t', '\r', '\n') < 0) return text.ToString();
        var chars = text.ToArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is '\t' or '\r' or '\n') chars[i] = ' ';
        return new string(chars);
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
