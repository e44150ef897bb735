using System.Globalization;
using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

public sealed class SeriesReadingTests
{
    private static ForecastProfile Prepare(TempDir dir, string csv, ForecastSpec? spec = null) =>
        new ForecastEngine().Prepare(csv, spec ?? new ForecastSpec(), dir.File("work"));

    [Fact]
    public void Time_a_host_spent_on_the_run_before_preparing_counts_against_the_budget()
    {
        using var dir = new TempDir();
        var profile = new ForecastEngine().Prepare(TestFiles.Data("air-passengers.csv"), new ForecastSpec { BudgetSeconds = 60 }, dir.File("work"),
            budgetStartedAt: DateTime.UtcNow.AddSeconds(-20));

        Assert.InRange(profile.PrepareSeconds, 20, 59);
    }

    [Fact]
    public void A_monthly_file_is_read_with_its_time_target_and_season_inferred()
    {
        using var dir = new TempDir();
        var profile = Prepare(dir, TestFiles.Data("air-passengers.csv"));

        Assert.Equal("date", profile.TimeColumn);
        Assert.Equal(SeriesFrequency.Monthly, profile.Frequency);
        Assert.Equal(12, profile.SeasonalPeriod);
        Assert.Equal(12, profile.Horizon);
        // The default budget (120 s) allows 8 folds; the later half of 144 months has room for 6, back to back.
        Assert.Equal((6, 12), (profile.Folds, profile.FoldStride));
        Assert.True(profile.PositiveTarget);
        var series = Assert.Single(profile.Series);
        Assert.Null(series.Id);
        Assert.Equal(144, series.Points);
        Assert.Equal((0, 0), (series.Gaps, series.Duplicates));
        Assert.Equal(new DateTime(1960, 12, 1), series.End);
    }

    [Fact]
    public void Long_format_names_its_series_and_gaps_and_duplicates_are_repaired_and_reported()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "when,ticker,close" };
        var day = new DateTime(2024, 1, 1); // a Monday
        for (var i = 0; i < 60; i++, day = day.AddDays(day.DayOfWeek == DayOfWeek.Friday ? 3 : 1))
        {
            if (i is not 10 and not 11) lines.Add($"{day:yyyy-MM-dd},AAA,{100 + i}");
            lines.Add($"{day:yyyy-MM-dd},BBB,{200 - i}");
            if (i == 20) lines.Add($"{day:yyyy-MM-dd},BBB,{300 - i}");
        }
        var profile = Prepare(dir, dir.Write("long.csv", string.Join('\n', lines)), new ForecastSpec { Horizon = 5 });

        Assert.Equal("ticker", profile.SeriesColumn);
        Assert.Equal("close", profile.Target);
        Assert.Equal(SeriesFrequency.BusinessDaily, profile.Frequency);
        Assert.Equal(5, profile.SeasonalPeriod);
        var (a, b) = (profile.Series.Single(s => s.Id == "AAA"), profile.Series.Single(s => s.Id == "BBB"));
        Assert.Equal((60, 2, 0), (a.Points, a.Gaps, a.Duplicates));
        Assert.Equal((60, 0, 1), (b.Points, b.Gaps, b.Duplicates));
        Assert.Contains(profile.Notes, n => n.Contains("2 gaps") && n.Contains("1 duplicate"));
        Assert.Contains(profile.Notes, n => n.Contains("'ticker' names the series"));

        // The gap is interpolated between its neighbours (109 and 112); the duplicate is the mean of its two rows.
        var set = ForecastWorkDir.ReadSeries(dir.File("work"));
        Assert.Equal([110, 111], set.Series.Single(s => s.Id == "AAA").Values[10..12]);
        Assert.Equal(230, set.Series.Single(s => s.Id == "BBB").Values[20]);
    }

    [Theory]
    [InlineData("quarter", SeriesFrequency.Quarterly)]
    [InlineData("year", SeriesFrequency.Yearly)]
    [InlineData("day first", SeriesFrequency.Daily)]
    [InlineData("month name", SeriesFrequency.Monthly)]
    public void Quarters_plain_years_day_first_dates_and_month_names_are_read_as_time(string notation, SeriesFrequency frequency)
    {
        using var dir = new TempDir();
        var start = new DateTime(1990, 1, 1);
        string Stamp(int i) => notation switch
        {
            "quarter" => $"{1990 + i / 4} Q{i % 4 + 1}",
            "year" => (1950 + i).ToString(CultureInfo.InvariantCulture),
            "day first" => start.AddDays(i).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            _ => start.AddMonths(i).ToString("MMM yyyy", CultureInfo.InvariantCulture),
        };
        var csv = dir.Write("series.csv", "period,amount\n" + string.Join('\n', Enumerable.Range(0, 60).Select(i => $"{Stamp(i)},{1000 + 3 * i + i % 4 * 7}")));

        var profile = Prepare(dir, csv);

        Assert.Equal(("period", "amount", frequency), (profile.TimeColumn, profile.Target, profile.Frequency));
        var series = Assert.Single(profile.Series);
        Assert.Equal((60, 0), (series.Points, series.Gaps));
    }

    [Fact]
    public void Known_columns_are_kept_apart_from_past_only_ones_and_text_is_dropped()
    {
        using var dir = new TempDir();
        var csv = SyntheticSeries.Daily(dir, "daily.csv", 120, noise: 1, seed: 1);
        var profile = Prepare(dir, csv, new ForecastSpec { KnownColumns = ["EVENT"] });

        Assert.Equal(SeriesFrequency.Daily, profile.Frequency);
        Assert.Equal("sales", profile.Target);
        Assert.Equal(["event"], profile.KnownColumns);
        Assert.Equal(["temperature"], profile.PastColumns);
        Assert.Equal("store", Assert.Single(profile.DroppedColumns).Name);
    }

    [Fact]
    public void The_inferred_target_is_neither_a_known_column_nor_a_flag_when_a_measured_column_exists()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "week,store,revenue,promo" };
        for (var i = 0; i < 100; i++)
            foreach (var store in new[] { "north", "south" })
                lines.Add($"{new DateTime(2024, 1, 1).AddDays(7 * i):yyyy-MM-dd},{store},{200 + i + (store == "south" ? 100 : 0)},{(i % 13 == 0 ? 1 : 0)}");
        var csv = dir.Write("stores.csv", string.Join('\n', lines));

        Assert.Equal("revenue", Prepare(dir, csv, new ForecastSpec { SeriesColumn = "store", KnownColumns = ["promo"] }).Target);
        using var other = new TempDir();
        var inferred = Prepare(other, csv);
        Assert.Equal(("revenue", "store"), (inferred.Target, inferred.SeriesColumn));
        Assert.Equal(["promo"], inferred.PastColumns);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4\n5,6\n", null, "No column holds dates")]
    [InlineData("start,end,y\n2020-01-01,2020-02-01,1\n2020-02-01,2020-03-01,2\n", null, "Several columns hold dates (start, end)")]
    [InlineData("d,y\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-04-01,4\n", null, "needs at least")]
    [InlineData("d,y\n2020-01-01,1\n2020-01-02,2\n", "nope", "The known column 'nope' is not in the file")]
    [InlineData("d,y\n2020-01-01,1\n2020-01-09,2\n2020-03-01,3\n2020-03-02,4\n2021-07-01,5\n", null, "not regularly spaced")]
    public void Data_that_cannot_be_a_series_is_refused_with_the_reason(string content, string? known, string reason)
    {
        using var dir = new TempDir();
        var spec = new ForecastSpec { KnownColumns = known is null ? [] : [known] };
        var error = Assert.Throws<InvalidDatasetException>(() => Prepare(dir, dir.Write("bad.csv", content), spec));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Month_end_dates_step_to_month_ends()
    {
        var calendar = new SeriesCalendar(SeriesFrequency.Monthly, new DateTime(2023, 1, 31));
        Assert.Equal([new DateTime(2023, 2, 28), new DateTime(2023, 3, 31), new DateTime(2024, 2, 29)],
            [calendar.Time(1), calendar.Time(2), calendar.Time(13)]);
        Assert.Equal(13, calendar.Index(new DateTime(2024, 2, 29)));
    }

    [Fact]
    public void Business_days_skip_weekends()
    {
        var calendar = new SeriesCalendar(SeriesFrequency.BusinessDaily, new DateTime(2024, 1, 4)); // a Thursday
        Assert.Equal([new DateTime(2024, 1, 5), new DateTime(2024, 1, 8), new DateTime(2024, 1, 15)],
            [calendar.Time(1), calendar.Time(2), calendar.Time(7)]);
        Assert.Equal(2, calendar.Index(new DateTime(2024, 1, 8)));
    }
}
