using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

public sealed class ForecasterTests
{
    private static async Task<(ForecastCard Card, string PackagePath, IReadOnlyList<CandidateResult> Results)> Train(
        TempDir dir, string csv, ForecastSpec spec)
    {
        var engine = new ForecastEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(csv, spec, work);
        var results = await ForecastSearch.RunAsync(profile, new InProcessCandidateExecutor(engine, work), SteppingClock());
        var packagePath = dir.File("forecaster.zip");
        return (engine.Finish(work, results, packagePath), packagePath, results);
    }

    /// <summary>
    /// A clock that moves on a tenth of a second each time the search reads it: the candidates it starts within its
    /// budget are then the same on a quiet machine and a loaded one (a wall clock let a busy machine end the search
    /// before any tree model ran).
    /// </summary>
    private static Func<DateTime> SteppingClock()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return () => now = now.AddSeconds(0.1);
    }

    [Fact]
    public async Task The_airline_series_gets_a_forecaster_that_beats_the_seasonal_naive_and_forecasts_the_next_year()
    {
        using var dir = new TempDir();
        var (card, packagePath, results) = await Train(dir, TestFiles.Data("air-passengers.csv"), new ForecastSpec { BudgetSeconds = 15, ParallelCandidates = 2 });

        Assert.Contains(results, r => r.Method is TreeRegressionMethod && r.Mase is not null);
        Assert.Contains(results, r => r.Method is ExponentialSmoothingMethod && r.Mase is not null);
        Assert.True(card.Backtest.Mase < 0.8 * card.SeasonalNaiveBacktest!.Mase, $"{card.Backtest.Mase} vs {card.SeasonalNaiveBacktest.Mase}");
        Assert.True(card.Backtest.Mase <= card.Leaderboard[0].Mase + 1e-12);
        Assert.Equal(1, card.Members.Sum(m => m.Weight), 3);
        Assert.InRange(card.Coverage.Coverage80!.Value, 0.5, 1);
        Assert.Equal(card.Folds * card.Input.Horizon, card.Coverage.Points);
        Assert.Equal(new DateTime(1960, 12, 1), Assert.Single(card.Input.Series).LastTimestamp);

        var forecaster = Forecaster.Load(packagePath);
        var forecast = forecaster.Forecast(12);
        Assert.Empty(forecast.Warnings);
        Assert.Equal(Enumerable.Range(1, 12).Select(m => new DateTime(1961, m, 1)), forecast.Points.Select(p => p.Timestamp));
        Assert.All(forecast.Points, p => Assert.True(p.Lo95 <= p.Lo80 && p.Lo80 < p.Forecast && p.Forecast < p.Hi80 && p.Hi80 <= p.Hi95));
        // The summer peak of 1961 is above the winter and above the last summer's (622 in July 1960).
        Assert.True(forecast.Points[6].Forecast > forecast.Points[10].Forecast && forecast.Points[6].Forecast > 622);

        // Past the horizon the forecast goes on, with a warning and wider intervals; it agrees with the shorter one on the first steps.
        var longer = forecaster.Forecast(18);
        Assert.Single(longer.Warnings);
        Assert.Equal(forecast.Points.Select(p => p.Forecast), longer.Points.Take(12).Select(p => p.Forecast));
        Assert.True(longer.Points[17].Hi80 - longer.Points[17].Lo80 > forecast.Points[11].Hi80 - forecast.Points[11].Lo80);

        // The card keeps what a model page draws: three seasons of history and the deployed forecast after them.
        var summary = Assert.Single(card.SeriesSummaries);
        Assert.Equal((144, 0, new DateTime(1949, 1, 1)), (summary.Profile.Points, summary.Profile.Gaps, summary.Profile.Start));
        Assert.Equal(Enumerable.Range(0, 36).Select(m => new DateTime(1958, 1, 1).AddMonths(m)), summary.Recent.Select(p => p.Timestamp));
        Assert.Equal(432, summary.Recent[^1].Value);
        Assert.Equal(forecast.Points, summary.Forecast);
        var packaged = Assert.Single(forecaster.Card.SeriesSummaries);
        Assert.Equal(summary.Recent, packaged.Recent);
        Assert.Equal(summary.Forecast, packaged.Forecast);

        Assert.Equal(["steps"], Assert.Throws<InvalidRecordException>(() => forecaster.Forecast(0)).Fields);
        Assert.Equal(["series"], Assert.Throws<InvalidRecordException>(() => forecaster.Forecast(3, "other")).Fields);
    }

    [Fact]
    public async Task Many_series_with_a_known_event_forecast_by_name_and_use_the_supplied_future()
    {
        using var dir = new TempDir();
        var files = new[] { "north", "south" }.Select((id, i) => File.ReadAllLines(SyntheticSeries.Daily(dir, $"{id}.csv", 150, noise: 1, seed: i, seriesId: id)));
        var csv = dir.Write("stores.csv", string.Join('\n', files.SelectMany((lines, i) => i == 0 ? lines : lines.Skip(1))));
        var (card, packagePath, _) = await Train(dir, csv, new ForecastSpec { KnownColumns = ["event"], Horizon = 7, BudgetSeconds = 15, ParallelCandidates = 2 });

        Assert.Equal("store", card.SeriesColumn);
        Assert.Equal(["north", "south"], card.Input.Series.Select(s => s.Id));
        Assert.Equal("event", Assert.Single(card.Input.KnownColumns).Name);
        // The event adds 15 on top of noise 1: no forecast that ignores it gets near the backtest of one that uses it.
        Assert.True(card.Backtest.Mase < 0.6, card.Description);

        var forecaster = Forecaster.Load(packagePath);
        Assert.Equal(["series"], Assert.Throws<InvalidRecordException>(() => forecaster.Forecast(7)).Fields);
        var quiet = forecaster.Forecast(7, "SOUTH", new Dictionary<string, IReadOnlyList<double>> { ["event"] = [0, 0, 0, 0, 0, 0, 0] });
        var busy = forecaster.Forecast(7, "south", new Dictionary<string, IReadOnlyList<double>> { ["event"] = [0, 0, 1, 0, 0, 0, 0] });
        Assert.Equal("south", quiet.Series);
        Assert.Empty(quiet.Warnings);
        Assert.True(busy.Points[2].Forecast - quiet.Points[2].Forecast > 8, $"{busy.Points[2].Forecast} vs {quiet.Points[2].Forecast}");

        var unsupplied = forecaster.Forecast(7, "north");
        Assert.Equal(["north", "south"], card.SeriesSummaries.Select(s => s.Profile.Id));
        Assert.Equal(unsupplied.Points, card.SeriesSummaries[0].Forecast);
        Assert.All(card.SeriesSummaries, s => Assert.Equal(Math.Min(s.Profile.Points, 21), s.Recent.Count));
        Assert.Contains(unsupplied.Warnings, w => w.Contains("'event' was not supplied"));
        Assert.Equal(["weather"], Assert.Throws<InvalidRecordException>(() =>
            forecaster.Forecast(7, "north", new Dictionary<string, IReadOnlyList<double>> { ["weather"] = [1] })).Fields);
    }
}
