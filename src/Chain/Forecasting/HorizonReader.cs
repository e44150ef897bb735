using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Humanizer;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain.Extraction;

namespace Serverless.Chain.Forecasting;

/// <summary>A span of time a question names: "6 months", "a quarter", "two weeks"; Step is the series' own step.</summary>
internal enum TimeUnit { Step, Hour, Day, BusinessDay, Week, Month, Quarter, Year }

/// <summary>
/// What a question says about a forecast: how far ahead, in the series' steps (null when it does not say), that span
/// in words ("the next quarter", "until Mar 2024"), which series it names (null when none), notes on how it was read,
/// and the calendar period it asks about when it names a date.
/// </summary>
internal sealed record HorizonReading(int? Steps, string? Span, string? Series, IReadOnlyList<string> Notes, NamedPeriod? Period = null)
{
    /// <summary>The question without the words that name its span or date, where the values of known columns are read.</summary>
    public string? Rest { get; init; }
}

/// <summary>
/// Reads a forecasting question offline: a number of time units ahead ("next 6 months", "the coming two weeks",
/// "3 quarters ahead", "next year", "tomorrow") converted to the series' steps on its calendar from its last timestamp
/// (a quarter of monthly data is 3 steps, two weeks of daily data 14, ten days of weekly data 2, rounded up so the
/// span is covered), or a date it asks about ("in March 2024", "by 2026": <see cref="PeriodReader"/>) forecast up to the
/// end of that period, and a series id named in the question. General rules only: no dataset's words.
/// </summary>
internal static partial class HorizonReader
{
    private static readonly FrozenDictionary<string, (TimeUnit Unit, int Count)> UnitWords = new Dictionary<string, (TimeUnit, int)>
    {
        ["step"] = (TimeUnit.Step, 1), ["period"] = (TimeUnit.Step, 1), ["point"] = (TimeUnit.Step, 1),
        ["hour"] = (TimeUnit.Hour, 1), ["hr"] = (TimeUnit.Hour, 1),
        ["day"] = (TimeUnit.Day, 1), ["weekday"] = (TimeUnit.BusinessDay, 1), ["workday"] = (TimeUnit.BusinessDay, 1),
        ["week"] = (TimeUnit.Week, 1), ["wk"] = (TimeUnit.Week, 1), ["fortnight"] = (TimeUnit.Week, 2),
        ["month"] = (TimeUnit.Month, 1), ["mo"] = (TimeUnit.Month, 1), ["mth"] = (TimeUnit.Month, 1),
        ["quarter"] = (TimeUnit.Quarter, 1), ["qtr"] = (TimeUnit.Quarter, 1),
        ["year"] = (TimeUnit.Year, 1), ["yr"] = (TimeUnit.Year, 1), ["decade"] = (TimeUnit.Year, 10),
    }.ToFrozenDictionary();

    /// <summary>Words that make "day" a business day: "the next 5 business days".</summary>
    private static readonly FrozenSet<string> BusinessWords = new[] { "business", "working", "trading" }.ToFrozenSet();

    /// <summary>Words before a unit that mean one of it: "next quarter", "the coming year".</summary>
    private static readonly FrozenSet<string> Ahead = new[] { "next", "coming", "following", "upcoming" }.ToFrozenSet();

    /// <summary>Words after which a unit is a rate, not a span: "sales per month".</summary>
    private static readonly FrozenSet<string> Rates = new[] { "per", "each", "every" }.ToFrozenSet();

    /// <summary>Ids this short are matched only as written, so "a" or "in" in a question does not name series "A" or "IN".</summary>
    private const int CaseSensitiveIdLength = 2;

    /// <summary>How far the calendar is walked when converting a span: far beyond any forecast a forecaster makes.</summary>
    private const int MaxSteps = 100_000;

    public static HorizonReading Read(string question, ForecastInputSchema input)
    {
        var matches = Words().Matches(question);
        var words = matches.Select(m => (Text: m.Value, Lower: m.Value.ToLowerInvariant())).ToList();
        var lower = words.Select(w => w.Lower).ToList();
        var span = FindSpan(lower);
        var used = span is { } s ? Enumerable.Range(s.From, s.To - s.From).ToHashSet() : [];
        var series = FindSeries(words, used, input);
        var last = input.Series.FirstOrDefault(x => string.Equals(x.Id, series, StringComparison.OrdinalIgnoreCase))?.LastTimestamp
                   ?? input.Series[0].LastTimestamp;
        if (span is not { } found)
        {
            var named = PeriodReader.Find(question, [.. matches.Select(m => (m.Value.ToLowerInvariant(), m.Index, m.Index + m.Length))], last);
            return Until(named?.Period, series, last, input.Frequency) with
            {
                Rest = named is { } n ? Without(question, n.From, n.To) : question,
            };
        }
        var text = found.Unit == TimeUnit.Step ? Describe(found.Count, input.Frequency) : Describe(found.Count, found.Unit);
        var (steps, exact) = ToSteps(found.Count, found.Unit, input.Frequency, last);
        var notes = exact ? [] : new[]
        {
            $"'{text}' is not a whole number of {FrequencyName(input.Frequency)} steps: forecasting {steps}, " +
            $"to cover it to {Advance(last, found.Unit, found.Count).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.",
        };
        return new HorizonReading(steps, text, series, notes)
        {
            Rest = Without(question, matches[found.From].Index, matches[found.To - 1].Index + matches[found.To - 1].Length),
        };
    }

    /// <summary>The question with a span of it replaced by a sentence break, so the words on either side stay apart.</summary>
    private static string Without(string question, int from, int to) => string.Concat(question.AsSpan(0, from), ". ", question.AsSpan(to));

    /// <summary>
    /// The steps that reach the end of the period a question names (at least one: a day of monthly data is in the
    /// step after the last timestamp); a period that ends by the last timestamp is history, not a forecast.
    /// </summary>
    private static HorizonReading Until(NamedPeriod? period, string? series, DateTime last, SeriesFrequency frequency)
    {
        if (period is null)
            return new HorizonReading(null, null, series, []);
        if (period.End <= last)
            return new HorizonReading(null, null, series,
                [$"{period.Label} is not after the data's last timestamp ({last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}), so it is not forecast; this is the forecast from there."]);
        var step = StepUnit(frequency);
        var steps = 0;
        while (steps < MaxSteps && Advance(last, step, steps + 1) <= period.End)
            steps++;
        return new HorizonReading(Math.Max(1, steps), $"until {period.Label}", series, [], period);
    }

    /// <summary>The first "number unit" or "next unit" in the question: (first word, past last word, count, unit).</summary>
    private static (int From, int To, int Count, TimeUnit Unit)? FindSpan(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == "tomorrow")
                return (i, i + 1, 1, TimeUnit.Day);
            if (Unit(words[i]) is not { } unit)
                continue;
            var start = i;
            if (unit.Unit == TimeUnit.Day && i > 0 && BusinessWords.Contains(words[i - 1]))
                (unit, start) = ((TimeUnit.BusinessDay, unit.Count), i - 1);
            if (start > 0 && Rates.Contains(words[start - 1]))
                continue;
            if (NumberBefore(words, start) is { } number && number.Value is >= 1 and <= MaxSteps && number.Value == Math.Floor(number.Value))
                return (number.From, i + 1, (int)number.Value * unit.Count, unit.Unit);
            if (start > 0 && (Ahead.Contains(words[start - 1]) || words[start - 1] is "a" or "an" or "one"))
                return (start - 1, i + 1, unit.Count, unit.Unit);
        }
        // "the next 6": a number of the series' own steps.
        for (var i = 0; i + 1 < words.Count; i++)
            if (Ahead.Contains(words[i]) && NumberAt(words, i + 1) is { } steps && steps.Value is >= 1 and <= MaxSteps && steps.Value == Math.Floor(steps.Value))
                return (i, i + 1 + steps.Length, (int)steps.Value, TimeUnit.Step);
        return null;
    }

    /// <summary>A unit word, singular or plural ("months", "wks").</summary>
    private static (TimeUnit Unit, int Count)? Unit(string word) =>
        UnitWords.TryGetValue(word, out var unit) || (word.EndsWith('s') && UnitWords.TryGetValue(word[..^1], out unit)) ? unit : null;

    /// <summary>The number written right before position end, in digits or words ("6", "twenty four", "a dozen").</summary>
    private static (double Value, int From)? NumberBefore(IReadOnlyList<string> words, int end)
    {
        for (var from = Math.Max(0, end - 5); from < end; from++)
            if (NumberAt(words, from) is { } number && from + number.Length == end)
                return (number.Value, from);
        return null;
    }

    private static (double Value, int Length)? NumberAt(IReadOnlyList<string> words, int at)
    {
        if (double.TryParse(words[at], NumberStyles.Float, CultureInfo.InvariantCulture, out var digits))
            return (digits, 1);
        var (value, length) = NumberWords.Read(words, at);
        return length > 0 ? (value, length) : null;
    }

    /// <summary>
    /// The series the question names, by its words in order; of names that overlap the longest wins, and two separate
    /// names are an error (one forecast answers about one series).
    /// </summary>
    private static string? FindSeries(IReadOnlyList<(string Text, string Lower)> words, HashSet<int> used, ForecastInputSchema input)
    {
        var named = input.Series.Where(s => s.Id is not null)
            .Select(s => (Id: s.Id!, Words: Words().Matches(s.Id!).Select(m => m.Value).ToList()))
            .Where(s => s.Words.Count > 0)
            .Select(s => (s.Id, s.Words.Count, At: Find(words, used, s.Words, caseSensitive: s.Id.Length <= CaseSensitiveIdLength)))
            .Where(s => s.At >= 0)
            .ToList();
        // A longer name holding a shorter one ("North East" holds "East") is the one meant.
        var separate = named.Where(s => !named.Any(o => o.Count > s.Count && o.At <= s.At && s.At < o.At + o.Count)).Select(s => s.Id).Distinct().ToList();
        return separate.Count switch
        {
            0 => null,
            1 => separate[0],
            _ => throw new InvalidRecordException($"The question names several series ({string.Join(", ", separate)}); ask about one at a time.", ["series"]),
        };
    }

    private static int Find(IReadOnlyList<(string Text, string Lower)> words, HashSet<int> used, IReadOnlyList<string> id, bool caseSensitive)
    {
        for (var at = 0; at + id.Count <= words.Count; at++)
            if (Enumerable.Range(0, id.Count).All(k => !used.Contains(at + k) && (caseSensitive
                    ? words[at + k].Text == id[k]
                    : string.Equals(words[at + k].Text, id[k], StringComparison.OrdinalIgnoreCase))))
                return at;
        return -1;
    }

    /// <summary>
    /// Steps of the series' frequency that cover count units after its last timestamp, on the calendar (months have
    /// their lengths, business days skip weekends); exact when the span ends on a step.
    /// </summary>
    internal static (int Steps, bool Exact) ToSteps(int count, TimeUnit unit, SeriesFrequency frequency, DateTime last)
    {
        var step = StepUnit(frequency);
        if (unit == TimeUnit.Step || unit == step)
            return (count, true);
        var end = Advance(last, unit, count);
        var steps = 1;
        while (steps < MaxSteps && Advance(last, step, steps) < end)
            steps++;
        return (steps, Advance(last, step, steps) == end);
    }

    private static TimeUnit StepUnit(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Hourly => TimeUnit.Hour,
        SeriesFrequency.Daily => TimeUnit.Day,
        SeriesFrequency.BusinessDaily => TimeUnit.BusinessDay,
        SeriesFrequency.Weekly => TimeUnit.Week,
        SeriesFrequency.Monthly => TimeUnit.Month,
        SeriesFrequency.Quarterly => TimeUnit.Quarter,
        _ => TimeUnit.Year,
    };

    private static DateTime Advance(DateTime from, TimeUnit unit, int count) => unit switch
    {
        TimeUnit.Hour => from.AddHours(count),
        TimeUnit.Day => from.AddDays(count),
        TimeUnit.BusinessDay => BusinessDays(from, count),
        TimeUnit.Week => from.AddDays(7 * count),
        TimeUnit.Month => from.AddMonths(count),
        TimeUnit.Quarter => from.AddMonths(3 * count),
        TimeUnit.Year => from.AddYears(count),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "a step has no calendar length of its own"),
    };

    private static DateTime BusinessDays(DateTime from, int count)
    {
        var day = from;
        for (var added = 0; added < count;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) added++;
        }
        return day;
    }

    /// <summary>"the next 6 months", "the next quarter", "the next 5 steps".</summary>
    internal static string Describe(int count, TimeUnit unit)
    {
        var name = unit == TimeUnit.BusinessDay ? "business day" : unit.ToString().ToLowerInvariant();
        return count == 1 ? $"the next {name}" : $"the next {name.ToQuantity(count)}";
    }

    /// <summary>The span of <paramref name="steps"/> steps of a frequency: "the next 6 months".</summary>
    internal static string Describe(int steps, SeriesFrequency frequency) => Describe(steps, StepUnit(frequency));

    /// <summary>"monthly", "business-day": the frequency as a person says it.</summary>
    internal static string FrequencyName(SeriesFrequency frequency) =>
        frequency == SeriesFrequency.BusinessDaily ? "business-day" : frequency.ToString().ToLowerInvariant();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[.,][0-9]+)*")]
    private static partial Regex Words();
}
