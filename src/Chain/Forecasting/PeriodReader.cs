using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.Chain.Forecasting;

/// <summary>
/// A calendar period a question names: its first and last instant and how an answer names it ("Mar 2024",
/// "2024 Q3", "2025", "2024-06-15").
/// </summary>
internal sealed record NamedPeriod(DateTime Start, DateTime End, string Label);

/// <summary>
/// Finds the date a forecasting question asks about: an ISO date ("on 2024-06-15"), a month with or without its year
/// ("in March 2024", "by December"), a quarter ("Q3 2024", "in q1") or a year ("for 2025", "by the end of 2026").
/// A month or quarter without a year is its first occurrence that ends after the data's last timestamp. Bare numbers
/// are years only beside a month or quarter, or after a word that introduces a time ("in", "by", "until", ...) and
/// within 20 years from the data's last year (so "for 2000 units" after data of 2023 is not a year); "may" and "march" are months only beside a
/// year or after such a word, so "what may sales be" names no date.
/// </summary>
internal static partial class PeriodReader
{
    private static readonly FrozenDictionary<string, int> Months = new Dictionary<string, int>
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
        ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8,
        ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11,
        ["december"] = 12, ["dec"] = 12,
    }.ToFrozenDictionary();

    /// <summary>Month names that are also everyday words: months only beside a year or after a time word.</summary>
    private static readonly FrozenSet<string> AmbiguousMonths = new[] { "may", "march", "mar" }.ToFrozenSet();

    /// <summary>Words that introduce a point in time: "in 2025", "by June", "until Q3".</summary>
    private static readonly FrozenSet<string> TimeWords =
        new[] { "in", "by", "for", "until", "till", "til", "through", "thru", "to", "during", "before", "on" }.ToFrozenSet();

    /// <summary>Words between a time word and its date: "by the end of 2026", "in the year 2025".</summary>
    private static readonly FrozenSet<string> Fillers = new[] { "the", "end", "of", "year", "month" }.ToFrozenSet();

    /// <summary>How far past the data a number alone is still read as a year ("in 2026"), not a quantity ("for 2000 units").</summary>
    private const int BareYearsAhead = 20;

    private const int FirstYear = 1800;
    private const int LastYear = 2500;

    /// <param name="words">The question's words, lower case, with where each starts and ends in it.</param>
    /// <param name="last">The data's last timestamp: a month or quarter without a year is the next one after it.</param>
    /// <returns>The period and where the question names it (start and end character).</returns>
    public static (NamedPeriod Period, int From, int To)? Find(string question, IReadOnlyList<(string Lower, int From, int To)> words, DateTime last)
    {
        if (IsoDate().Match(question) is { Success: true } iso && ToDate(iso) is { } day)
            return (new NamedPeriod(day, day.AddDays(1).AddTicks(-1), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), iso.Index, iso.Index + iso.Length);
        var lower = words.Select(w => w.Lower).ToList();
        for (var i = 0; i < lower.Count; i++)
        {
            var after = TimeWords.Contains(Before(lower, i));
            if (Months.TryGetValue(lower[i], out var month))
            {
                var (year, at) = YearBeside(lower, i);
                if (year is null && !after && AmbiguousMonths.Contains(lower[i])) continue;
                var start = new DateTime(year ?? NextYear(last, month, 1), month, 1);
                return (new NamedPeriod(start, start.AddMonths(1).AddTicks(-1), start.ToString("MMM yyyy", CultureInfo.InvariantCulture)),
                    words[Math.Min(i, at)].From, words[Math.Max(i, at)].To);
            }
            if (Quarter().Match(lower[i]) is { Success: true } q)
            {
                var quarter = int.Parse(q.Groups[1].Value, CultureInfo.InvariantCulture);
                var (named, at) = YearBeside(lower, i);
                var year = named ?? NextYear(last, 3 * quarter - 2, 3);
                var start = new DateTime(year, 3 * quarter - 2, 1);
                return (new NamedPeriod(start, start.AddMonths(3).AddTicks(-1), $"{year} Q{quarter}"), words[Math.Min(i, at)].From, words[Math.Max(i, at)].To);
            }
            if (after && YearAt(lower, i) is { } alone && alone >= last.Year && alone <= last.Year + BareYearsAhead)
                return (new NamedPeriod(new DateTime(alone, 1, 1), new DateTime(alone + 1, 1, 1).AddTicks(-1), alone.ToString(CultureInfo.InvariantCulture)),
                    words[i].From, words[i].To);
        }
        return null;
    }

    /// <summary>A year right after or right before word i ("March 2024", "2024 Q3") and its position; else (null, i).</summary>
    private static (int? Year, int At) YearBeside(IReadOnlyList<string> words, int i) =>
        YearAt(words, i + 1) is { } after ? (after, i + 1) : i > 0 && YearAt(words, i - 1) is { } before ? (before, i - 1) : (null, i);

    /// <summary>The word before position i that is not a filler: "by the end of 2025" reads as "by 2025".</summary>
    private static string Before(IReadOnlyList<string> words, int i)
    {
        var k = i - 1;
        while (k >= 0 && Fillers.Contains(words[k])) k--;
        return k >= 0 ? words[k] : "";
    }

    private static int? YearAt(IReadOnlyList<string> words, int at) =>
        at < words.Count && words[at].Length == 4 && int.TryParse(words[at], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && year is >= FirstYear and <= LastYear ? year : null;

    /// <summary>The year whose period of <paramref name="months"/> months from <paramref name="month"/> ends after <paramref name="last"/>.</summary>
    private static int NextYear(DateTime last, int month, int months) =>
        new DateTime(last.Year, month, 1).AddMonths(months) > last ? last.Year : last.Year + 1;

    private static DateTime? ToDate(Match iso) =>
        DateTime.TryParseExact(iso.Value.Replace('/', '-'), ["yyyy-M-d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    [GeneratedRegex(@"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^q([1-4])$")]
    private static partial Regex Quarter();
}
