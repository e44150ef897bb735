using System.Globalization;

namespace Serverless.AutoMl.Data;

/// <summary>How raw cell text is read: missing tokens, numbers, booleans, dates. Shared by training and serving.</summary>
internal static class CellValues
{
    private static readonly HashSet<string> MissingTokens =
        new(StringComparer.OrdinalIgnoreCase) { "", "?", "NA", "N/A", "NaN", "null" };

    private static readonly Dictionary<string, bool> BooleanTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["true"] = true, ["false"] = false, ["yes"] = true, ["no"] = false,
        ["y"] = true, ["n"] = false, ["t"] = true, ["f"] = false,
    };

    public static bool IsMissing(string? value) => value is null || MissingTokens.Contains(value.Trim());

    public static bool TryNumber(string value, out double number)
    {
        var text = value.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return true;
        // Decimal comma, as in files from ';'-separated locales.
        return text.Count(c => c == ',') == 1 && !text.Contains('.') &&
               double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static bool TryBoolean(string value, out bool flag) => BooleanTokens.TryGetValue(value.Trim(), out flag);

    public static bool TryDate(string value, out DateTime date)
    {
        var text = value.Trim();
        date = default;
        // Plain numbers parse as dates in some formats; a date needs a date or time separator.
        return text.Length >= 6 && text.IndexOfAny(['-', '/', ':']) >= 0 &&
               DateTime.TryParse(text, CultureInfo.InvariantCulture,
                   DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out date);
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
