using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

public sealed class ModelAndBacktestTests
{
    private static double[] TrendAndSeason(int count, Func<int, double> season) =>
        [.. Enumerable.Range(0, count).Select(t => 100 + 2 * t + season(t % 12))];

    [Fact]
    public void Ets_recovers_a_trend_with_an_additive_season()
    {
        var y = TrendAndSeason(96, m => 10 * Math.Sin(2 * Math.PI * m / 12));
        var state = ExponentialSmoothing.Fit(y, new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.Additive), 12);
        var forecast = ExponentialSmoothing.Forecast(state, 12);
        var truth = TrendAndSeason(108, m => 10 * Math.Sin(2 * Math.PI * m / 12))[96..];
        Assert.All(forecast.Zip(truth), p => Assert.True(Math.Abs(p.First - p.Second) < 1, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void Ets_with_a_multiplicative_season_beats_the_seasonal_naive_on_the_classic_airline_series()
    {
        using var dir = new TempDir();
        var work = dir.File("work");
        var engine = new ForecastEngine();
        engine.Prepare(TestFiles.Data("air-passengers.csv"), new ForecastSpec(), work);
        var ets = engine.RunCandidate(work, new ForecastCandidate(1, new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.Multiplicative)));
        var naive = engine.RunCandidate(work, new ForecastCandidate(2, new SeasonalNaiveMethod(12)));
        Assert.Equal(TrialStatus.Succeeded, ets.Status);
        Assert.True(ets.Mase < 0.8 * naive.Mase, $"ets {ets.Mase} vs seasonal naive {naive.Mase}");
    }

    [Fact]
    public void Metrics_follow_their_definitions()
    {
        // Seasonal naive MAE in sample: |3-1| and |4-2| → 2.
        var fold = new SeriesFold(0, Actual: [10, 20], Predicted: [12, 20], Scale: Backtest.MaseScale([1.0, 2, 3, 4], 2), LocalScale: 1);
        var metrics = Backtest.Totals([fold]).Metrics();
        Assert.Equal(2, fold.Scale);
        Assert.Equal(1, metrics.Mae, 9);
        Assert.Equal(Math.Sqrt(2), metrics.Rmse, 9);
        Assert.Equal(100 * (2 * 2.0 / 22) / 2, metrics.Smape, 9);
        Assert.Equal(0.5, metrics.Mase, 9);
    }

    [Fact]
    public void Folds_run_apart_combine_into_the_same_backtest_as_one_run()
    {
        using var dir = new TempDir();
        var work = dir.File("work");
        var engine = new ForecastEngine();
        var profile = engine.Prepare(TestFiles.Data("air-passengers.csv"), new ForecastSpec { Horizon = 6 }, work);
        var candidate = new ForecastCandidate(1, new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.Additive));
        var whole = engine.RunCandidate(work, candidate);
        var combined = CandidateResult.Combine([.. Enumerable.Range(0, profile.Folds).Reverse().Select(k => engine.RunCandidate(work, candidate, k))]);

        Assert.Equal(Enumerable.Range(0, profile.Folds), combined.Folds);
        Assert.Equal(whole.Totals.Count, combined.Totals.Count);
        Assert.Equal(whole.Mase!.Value, combined.Mase!.Value, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.RunCandidate(work, candidate, profile.Folds));
    }

    [Fact]
    public void Conformal_intervals_cover_fresh_residuals_at_their_nominal_rates()
    {
        var random = new Random(7);
        FoldForecast Fold(int k) => new(k, [.. Enumerable.Range(0, 20).Select(s => new SeriesFold(s,
            Actual: [.. Enumerable.Range(1, 6).Select(h => Math.Sqrt(h) * SyntheticSeries.Gaussian(random))],
            Predicted: new double[6], Scale: 1, LocalScale: 1))]);
        var intervals = PredictionIntervals.Calibrate([.. Enumerable.Range(0, 5).Select(Fold)], 6);
        var fresh = Enumerable.Range(0, 200).Select(Fold).SelectMany(f => f.Series)
            .SelectMany(s => s.Actual.Select((a, h) => (Actual: a, Bounds: intervals.Around(0, h + 1, 1)))).ToList();

        var coverage80 = fresh.Average(p => p.Actual >= p.Bounds.Lo80 && p.Actual <= p.Bounds.Hi80 ? 1.0 : 0);
        var coverage95 = fresh.Average(p => p.Actual >= p.Bounds.Lo95 && p.Actual <= p.Bounds.Hi95 ? 1.0 : 0);
        Assert.InRange(coverage80, 0.75, 0.86);
        Assert.InRange(coverage95, 0.92, 0.98);
        // Later steps are noisier here, so their intervals are wider.
        Assert.True(intervals.Around(0, 6, 1).Hi80 > intervals.Around(0, 1, 1).Hi80);
    }

    [Fact]
    public void Coverage_is_not_measured_with_a_single_fold()
    {
        var fold = new FoldForecast(0, [new SeriesFold(0, [1, 2], [1, 2], 1, 1)]);
        Assert.Equal(new IntervalCoverage(null, null, 0), PredictionIntervals.MeasureCoverage([fold], 2));
    }
}
