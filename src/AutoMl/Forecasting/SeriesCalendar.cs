namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// The regular grid of a frequency: timestamp ↔ step index relative to an anchor (the earliest timestamp of the
/// data, so every series of a file shares one grid), the seasonal period, and the calendar parts of a timestamp.
/// </summary>
internal sealed record SeriesCalendar(SeriesFrequency Frequency, DateTime Anchor)
{
    public int SeasonalPeriod => Frequency switch
    {
        SeriesFrequency.Hourly => 24,
        SeriesFrequency.Daily => 7,
        SeriesFrequency.BusinessDaily => 5,
        SeriesFrequency.Weekly => 52,
        SeriesFrequency.Monthly => 12,
        SeriesFrequency.Quarterly => 4,
        _ => 1,
    };

    /// <summary>A season ahead, or a few steps when the frequency has no season worth a full horizon.</summary>
    public int DefaultHorizon => Frequency switch
    {
        SeriesFrequency.Hourly => 24,
        SeriesFrequency.Daily => 14,
        SeriesFrequency.BusinessDaily => 10,
        SeriesFrequency.Weekly => 13,
        SeriesFrequency.Monthly => 12,
        SeriesFrequency.Quarterly => 8,
        _ => 3,
    };

    /// <summary>The grid step a timestamp falls on (timestamps inside one step share it).</summary>
    public long Index(DateTime time) => Frequency switch
    {
        SeriesFrequency.Hourly => (long)Math.Floor((time - Anchor).TotalHours + 1e-9),
        SeriesFrequency.Daily => (long)(time.Date - Anchor.Date).TotalDays,
        SeriesFrequency.BusinessDaily => BusinessDay(time) - BusinessDay(Anchor),
        SeriesFrequency.Weekly => (long)Math.Round((time.Date - Anchor.Date).TotalDays / 7),
        SeriesFrequency.Monthly => Months(time) - Months(Anchor),
        SeriesFrequency.Quarterly => Months(time) / 3 - Months(Anchor) / 3,
        _ => time.Year - Anchor.Year,
    };

    /// <summary>The timestamp of a grid step, in the anchor's style (time of day, month ends stay month ends).</summary>
    public DateTime Time(long index) => Frequency switch
    {
        SeriesFrequency.Hourly => Anchor.AddHours(index),
        SeriesFrequency.Daily => Anchor.AddDays(index),
        SeriesFrequency.BusinessDaily => FromBusinessDay(BusinessDay(Anchor) + index) + Anchor.TimeOfDay,
        SeriesFrequency.Weekly => Anchor.AddDays(7 * index),
        SeriesFrequency.Monthly => AddMonths(index),
        SeriesFrequency.Quarterly => AddMonths(3 * index),
        _ => AddMonths(12 * index),
    };

    /// <summary>
    /// Calendar parts of a timestamp that vary at this frequency, as numbers (a tree splits them like categories).
    /// </summary>
    public double[] Parts(DateTime time) => Frequency switch
    {
        SeriesFrequency.Hourly => [time.Hour, (int)time.DayOfWeek],
        SeriesFrequency.Daily => [(int)time.DayOfWeek, time.Day, time.Month, time.DayOfYear],
        SeriesFrequency.BusinessDaily => [(int)time.DayOfWeek, time.Day, time.Month],
        SeriesFrequency.Weekly => [WeekOfYear(time), time.Month],
        SeriesFrequency.Monthly => [time.Month, Quarter(time)],
        SeriesFrequency.Quarterly => [Quarter(time)],
        _ => [],
    };

    public int PartCount => Parts(Anchor).Length;

    private static int Quarter(DateTime time) => (time.Month - 1) / 3 + 1;

    private static int WeekOfYear(DateTime time) => (time.DayOfYear - 1) / 7 + 1;

    private static long Months(DateTime time) => time.Year * 12L + time.Month - 1;

    private DateTime AddMonths(long months)
    {
        var time = Anchor.AddMonths((int)months);
        var monthEnd = Anchor.Day == DateTime.DaysInMonth(Anchor.Year, Anchor.Month) && Anchor.Day > 27;
        return monthEnd ? time.AddDays(DateTime.DaysInMonth(time.Year, time.Month) - time.Day) : time;
    }

    /// <summary>Weekdays since 0001-01-01 (a Monday); a weekend day counts as the Friday before it.</summary>
    private static long BusinessDay(DateTime time)
    {
        var days = (long)(time.Date - DateTime.MinValue).TotalDays;
        return days / 7 * 5 + Math.Min(days % 7, 4);
    }

    private static DateTime FromBusinessDay(long index) => DateTime.MinValue.AddDays(index / 5 * 7 + index % 5);

    /// <summary>
    /// The frequency the timestamps' typical spacing matches. Daily spacing with (almost) no weekend dates is business days.
    /// </summary>
    public static SeriesFrequency? Detect(IReadOnlyList<IReadOnlyList<DateTime>> series)
    {
        var spacings = series.SelectMany(times => times.Zip(times.Skip(1), (a, b) => (b - a).TotalDays).Where(d => d > 0)).Order().ToList();
        if (spacings.Count == 0) return null;
        var median = spacings[spacings.Count / 2];
        var all = series.SelectMany(t => t).ToList();
        var weekendShare = all.Count(t => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)all.Count;
        return median switch
        {
            >= 0.9 / 24 and <= 1.1 / 24 => SeriesFrequency.Hourly,
            >= 0.9 and <= 1.1 => weekendShare < 0.02 ? SeriesFrequency.BusinessDaily : SeriesFrequency.Daily,
            >= 1.1 and <= 3.1 when weekendShare < 0.02 => SeriesFrequency.BusinessDaily,
            >= 6 and <= 8 => SeriesFrequency.Weekly,
            >= 27 and <= 32 => SeriesFrequency.Monthly,
            >= 85 and <= 95 => SeriesFrequency.Quarterly,
            >= 360 and <= 370 => SeriesFrequency.Yearly,
            _ => null,
        };
    }
}
