using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.AutoMl;

namespace Serverless.Chain.Extraction;

/// <summary>
/// Dates a question gives for the model's date columns: "2025-06-14", "14/06/2025" (read in the column's own day and
/// month order), "June 14, 2025", "14 June 2025". With one date column every date is its; with several, a date goes
/// to the column whose name has a word among the few words before it ("signed up on …", "last login …"). Each date
/// found is blanked out of the question, so its numbers are not read as other columns' values.
/// </summary>
internal static partial class DateValues
{
    /// <summary>How many words before a date may name its column.</summary>
    private const int NameReach = 4;

    public static string Take(string question, IReadOnlyList<ModelColumn> inputs, Dictionary<string, string?> values)
    {
        var dates = inputs.Where(c => c.Kind == ColumnKind.DateTime).ToList();
        if (dates.Count == 0) return question;
        var text = question.ToCharArray();
        foreach (Match match in Date().Matches(question))
        {
            var column = dates.Count == 1 ? dates[0] : Named(question[..match.Index], dates);
            if (column is null || values.ContainsKey(column.Name) || Read(match.Value, column) is not { } date) continue;
            values[column.Name] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Array.Fill(text, ' ', match.Index, match.Length);
        }
        return new string(text);
    }

    /// <summary>The date as the engine reads the column's cells (its day and month order), ordinals ("14th") dropped.</summary>
    private static DateTime? Read(string written, ModelColumn column) =>
        DateText.TryRead(Ordinal().Replace(written, "$1"), column.DateOrder ?? DateOrder.MonthFirst, out var date) ? date : null;

    /// <summary>The date column one of the last few words before the date names, if exactly one.</summary>
    private static ModelColumn? Named(string before, IReadOnlyList<ModelColumn> dates)
    {
        var words = Word().Matches(before).Select(m => m.Value.ToLowerInvariant()).TakeLast(NameReach).ToHashSet();
        var named = dates.Where(d => Word().Matches(d.Name).Any(m => words.Contains(m.Value.ToLowerInvariant()))).ToList();
        return named.Count == 1 ? named[0] : null;
    }

    [GeneratedRegex(@"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Date();

    [GeneratedRegex(@"(\d)(?:st|nd|rd|th)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"\p{L}{3,}")]
    private static partial Regex Word();
}
