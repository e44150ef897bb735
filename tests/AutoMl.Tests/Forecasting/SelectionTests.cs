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

    [Fact]
    public void A_forecast_that_beats_the_seasonal_naive_by_less_than_a_standard_error_over_the_folds_is_not_chosen()
    {
        // Per fold, the rival's errors are the seasonal naive's times 0.1 or 1.7 in turn: lower on average, not reliably.
        using var dir = new TempDir();
        var card = FinishWithRival(dir, fold => fold % 2 == 0 ? 0.1 : 1.7);

        Assert.Equal(new SeasonalNaiveMethod(12), Assert.Single(card.Members).Method);
        Assert.Contains(card.Notes, n => n.StartsWith("Kept the baseline seasonal naive", StringComparison.Ordinal));
        Assert.True(card.Leaderboard[0].Mase < card.Backtest.Mase, "the rival leads the leaderboard but is not chosen");
    }

    [Fact]
    public void A_forecast_that_beats_the_seasonal_naive_on_every_fold_is_chosen()
    {
        using var dir = new TempDir();
        var card = FinishWithRival(dir, _ => 0.6);

        Assert.IsType<ExponentialSmoothingMethod>(Assert.Single(card.Members).Method);
        Assert.DoesNotContain(card.Notes, n => n.StartsWith("Kept the baseline", StringComparison.Ordinal));
    }

    /// <summary>
    /// Backtests the seasonal naive on a random walk, stores a rival whose fold forecasts miss by the seasonal naive's
    /// errors times errorFactor(fold), and finishes with both.
    /// </summary>
    private static ForecastCard FinishWithRival(TempDir dir, Func<int, double> errorFactor)
    {
        var random = new Random(3);
        var walk = new double[240];
        for (var t = 0; t < walk.Length; t++) walk[t] = (t == 0 ? 500 : walk[t - 1]) + 5 * SyntheticSeries.Gaussian(random);
        var engine = new ForecastEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(SyntheticSeries.Monthly(dir, "walk.csv", walk), new ForecastSpec { Horizon = 12 }, work);
        Assert.True(profile.Folds >= Parsimony.MinFolds);
        var naive = engine.RunCandidate(work, new ForecastCandidate(1, new SeasonalNaiveMethod(12)));
        var totals = ErrorTotals.Empty;
        for (var k = 0; k < profile.Folds; k++)
        {
            var fold = ForecastWorkDir.ReadFold(work, 1, k);
            var rival = fold with
            {
                Series = [.. fold.Series.Select(s => s with
                {
                    Predicted = [.. s.Actual.Select((a, h) => a + errorFactor(k) * (s.Predicted[h] - a))],
                })],
            };
            ForecastWorkDir.Write(ForecastWorkDir.FoldPath(work, 2, k), rival);
            totals = totals.Add(Backtest.Totals(rival.Series));
        }
        var rivalResult = naive with
        {
            CandidateId = 2, Method = new ExponentialSmoothingMethod(TrendKind.Additive, SeasonKind.None), Totals = totals,
        };
        Assert.True(rivalResult.Mase < naive.Mase, $"rival {rivalResult.Mase} vs seasonal naive {naive.Mase}");
        return engine.Finish(work, [naive, rivalResult], dir.File("forecaster.zip"));
    }
}
