using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

/// <summary>How the backtest is laid out and how its results choose the final forecast.</summary>
public sealed class SelectionTests
{
    [Fact]
    public void Folds_spread_over_the_later_half_of_a_long_series_and_sit_back_to_back_on_a_short_one()
    {
        // 1,000 points, horizon 14: 8 folds whose cutoffs run evenly from 986 back to the middle.
        Assert.Equal((8, (986 - 500) / 7), ForecastEngine.FoldPlan(1000, 14, minimumHistory: 9, maxFolds: 8));
        // 60 points, horizon 12: the later half holds 2 folds; back to back, 3 fit above the minimum history.
        Assert.Equal((3, 12), ForecastEngine.FoldPlan(60, 12, minimumHistory: 14, maxFolds: 8));
        Assert.Equal((0, 12), ForecastEngine.FoldPlan(20, 12, minimumHistory: 14, maxFolds: 8));
        foreach (var length in Enumerable.Range(10, 400))
            foreach (var horizon in new[] { 1, 5, 12, 24 })
            {
                var (folds, stride) = ForecastEngine.FoldPlan(length, horizon, minimumHistory: 14, maxFolds: 8);
                if (folds == 0) continue;
                Assert.InRange(folds, 1, 8);
                Assert.True(stride >= horizon, $"{length}/{horizon}: stride {stride}");
                Assert.True(length - horizon - (folds - 1) * stride >= 14, $"{length}/{horizon}: {folds} folds × {stride}");
            }
    }

    private static readonly ForecastMethod SeasonalNaive = new SeasonalNaiveMethod(12);
    private static readonly ExponentialSmoothingMethod TrendedSmoothing = new(TrendKind.Additive, SeasonKind.None);

    [Fact]
    public void A_forecast_that_beats_the_seasonal_naive_by_less_than_a_standard_error_over_the_folds_is_not_chosen()
    {
        // Per fold, the rival's errors are the seasonal naive's times 0.1 or 1.7 in turn: lower on average, not reliably.
        using var dir = new TempDir();
        var card = FinishWithRival(dir, RandomWalk(), SeasonalNaive, TrendedSmoothing, fold => fold % 2 == 0 ? 0.1 : 1.7);

        Assert.Equal(SeasonalNaive, Assert.Single(card.Members).Method);
        Assert.Contains(card.Notes, n => n.StartsWith("Kept the simpler seasonal naive", StringComparison.Ordinal));
        Assert.True(card.Leaderboard[0].Mase < card.Backtest.Mase, "the rival leads the leaderboard but is not chosen");
    }

    [Fact]
    public void A_forecast_that_beats_the_seasonal_naive_on_every_fold_is_chosen()
    {
        using var dir = new TempDir();
        var card = FinishWithRival(dir, RandomWalk(), SeasonalNaive, TrendedSmoothing, _ => 0.6);

        Assert.Equal(TrendedSmoothing, Assert.Single(card.Members).Method);
        Assert.DoesNotContain(card.Notes, n => n.StartsWith("Kept the simpler", StringComparison.Ordinal));
    }

    [Fact]
    public void Trees_that_beat_exponential_smoothing_by_less_than_a_standard_error_leave_it_the_forecast()
    {
        var random = new Random(5);
        double[] seasonal = [.. Enumerable.Range(0, 240).Select(t => 200 + 0.5 * t + 20 * Math.Sin(2 * Math.PI * t / 12) + 3 * SyntheticSeries.Gaussian(random))];
        var smoothing = new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.Additive);
        var trees = new TreeRegressionMethod
        {
            Learner = TreeLearner.LightGbm, Strategy = MultiStepStrategy.Direct, Lags = 12, SeasonalLags = 2, Window = 12,
            Normalization = LevelNormalization.Difference, Calendar = true, TimeIndex = false, Leaves = 16, Trees = 100, LearningRate = 0.05, MinLeafCount = 5,
        };
        using var dir = new TempDir();
        var card = FinishWithRival(dir, seasonal, smoothing, trees, fold => fold % 2 == 0 ? 0.1 : 1.7);

        Assert.Equal(smoothing, Assert.Single(card.Members).Method);
        Assert.Contains(card.Notes, n => n.StartsWith("Kept the simpler ets(trend additive, season additive)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_damped_trend_that_beats_an_undamped_one_by_less_than_a_standard_error_is_not_chosen()
    {
        var random = new Random(4);
        double[] trended = [.. Enumerable.Range(0, 240).Select(t => 100 + 0.8 * t + 5 * SyntheticSeries.Gaussian(random))];
        var undamped = new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.None);
        using var dir = new TempDir();
        var card = FinishWithRival(dir, trended, undamped, new ExponentialSmoothingMethod(TrendKind.Damped, SeasonKind.None), fold => fold % 2 == 0 ? 0.1 : 1.7);

        Assert.Equal(undamped, Assert.Single(card.Members).Method);
    }

    private static double[] RandomWalk()
    {
        var random = new Random(3);
        var walk = new double[240];
        for (var t = 0; t < walk.Length; t++) walk[t] = (t == 0 ? 500 : walk[t - 1]) + 5 * SyntheticSeries.Gaussian(random);
        return walk;
    }

    /// <summary>
    /// Backtests the simpler method on a monthly series, stores a rival whose fold forecasts miss by the simpler one's
    /// errors times errorFactor(fold), and finishes with both.
    /// </summary>
    private static ForecastCard FinishWithRival(TempDir dir, double[] values, ForecastMethod simpler, ForecastMethod rival, Func<int, double> errorFactor)
    {
        var engine = new ForecastEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(SyntheticSeries.Monthly(dir, "series.csv", values), new ForecastSpec { Horizon = 12 }, work);
        Assert.True(profile.Folds >= Parsimony.MinFolds);
        var simple = engine.RunCandidate(work, new ForecastCandidate(1, simpler));
        var totals = ErrorTotals.Empty;
        for (var k = 0; k < profile.Folds; k++)
        {
            var fold = ForecastWorkDir.ReadFold(work, 1, k);
            var rivalFold = fold with
            {
                Series = [.. fold.Series.Select(s => s with
                {
                    Predicted = [.. s.Actual.Select((a, h) => a + errorFactor(k) * (s.Predicted[h] - a))],
                })],
            };
            ForecastWorkDir.Write(ForecastWorkDir.FoldPath(work, 2, k), rivalFold);
            totals = totals.Add(Backtest.Totals(rivalFold.Series));
        }
        var rivalResult = simple with { CandidateId = 2, Method = rival, Totals = totals };
        Assert.True(rivalResult.Mase < simple.Mase, $"rival {rivalResult.Mase} vs {simple.Mase}");
        return engine.Finish(work, [simple, rivalResult], dir.File("forecaster.zip"));
    }
}
