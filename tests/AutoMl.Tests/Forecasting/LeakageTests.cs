using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

/// <summary>
/// Nothing after a forecast origin may reach a forecast but the known columns. A feature built with lag 0, a rolling
/// window that includes the target's own value, a level or scale computed past the cutoff, or a fold trained on rows
/// after its cutoff each make one of these tests fail.
/// </summary>
public sealed class LeakageTests
{
    private static TreeRegressionMethod Trees(MultiStepStrategy strategy, LevelNormalization normalization) => new()
    {
        Learner = TreeLearner.LightGbm, Strategy = strategy, Lags = 5, SeasonalLags = 2, Window = 7, Normalization = normalization,
        Calendar = true, TimeIndex = true, Leaves = 8, Trees = 30, LearningRate = 0.1, MinLeafCount = 5,
    };

    private static readonly ForecastMethod[] AllMethods =
    [
        Trees(MultiStepStrategy.Direct, LevelNormalization.Ratio),
        Trees(MultiStepStrategy.Direct, LevelNormalization.Difference),
        Trees(MultiStepStrategy.Recursive, LevelNormalization.None),
        Trees(MultiStepStrategy.Direct, LevelNormalization.None) with { Learner = TreeLearner.FastTree },
        new ExponentialSmoothingMethod(TrendKind.Damped, SeasonKind.Multiplicative),
        new ArimaMethod(MaxP: 1, MaxQ: 1, MaxSeasonalP: 1, MaxSeasonalQ: 1),
        new SeasonalNaiveMethod(7),
    ];

    public static TheoryData<ForecastMethod> Methods() => new(AllMethods);

    private static (SeriesSet Set, ForecastContext Context) Daily(TempDir dir, int series = 2)
    {
        var engine = new ForecastEngine();
        var work = dir.File("work");
        var csvs = Enumerable.Range(0, series).Select(i => File.ReadAllLines(SyntheticSeries.Daily(dir, $"s{i}.csv", 200, noise: 2, seed: i, seriesId: $"s{i}")))
            .SelectMany((lines, i) => i == 0 ? lines : lines.Skip(1));
        var profile = engine.Prepare(dir.Write("all.csv", string.Join('\n', csvs)), new ForecastSpec { SeriesColumn = "store", KnownColumns = ["event"], Horizon = 10 }, work);
        var set = ForecastWorkDir.ReadSeries(work);
        return (set, ForecastEngine.Context(profile, set));
    }

    /// <summary>The series with every target and past-only value after each fold-0 cutoff replaced by garbage.</summary>
    private static SeriesSet Scrambled(SeriesSet set, ForecastContext context) => set with
    {
        Series = [.. set.Series.Select(s =>
        {
            var cutoff = Backtest.Cutoff(s, 0, context.Horizon, context.Horizon);
            var random = new Random(cutoff);
            double[] Scramble(double[] values) => [.. values.Select((v, i) => i < cutoff ? v : 1000 * random.NextDouble())];
            return s with
            {
                Values = Scramble(s.Values),
                Covariates = s.Covariates.ToDictionary(c => c.Key, c => context.Known.Contains(c.Key) ? c.Value : Scramble(c.Value)),
            };
        })],
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_fold_forecast_does_not_change_when_everything_after_its_cutoff_but_known_columns_changes(ForecastMethod method)
    {
        using var dir = new TempDir();
        var (set, context) = Daily(dir);
        var clean = Backtest.RunFold(set, context, method, 0, context.Horizon, CancellationToken.None);
        var scrambled = Backtest.RunFold(Scrambled(set, context), context, method, 0, context.Horizon, CancellationToken.None);

        Assert.Equal(clean.Series.Select(s => s.Predicted), scrambled.Series.Select(s => s.Predicted));
        // The scrambled actuals do differ: the test compares forecasts of a changed future.
        Assert.NotEqual(clean.Series.Select(s => s.Actual), scrambled.Series.Select(s => s.Actual));
    }

    [Fact]
    public void Features_read_no_target_past_the_origin()
    {
        using var dir = new TempDir();
        var (set, context) = Daily(dir, series: 1);
        var series = set.Series[0];
        foreach (var method in AllMethods.OfType<TreeRegressionMethod>())
        {
            var features = new SeriesFeatures(method, context);
            for (var origin = 20; origin < 40; origin++)
                for (var step = 1; step <= features.StepsPerOrigin; step++)
                {
                    var known = context.Known.ToDictionary(k => k, k => series.Covariates[k][origin + step]);
                    var built = features.Build(History.Of(series, origin + 1), 0, series.StartIndex + origin, step, known);
                    var future = series with { Values = [.. series.Values.Select((v, i) => i <= origin ? v : -v)] };
                    Assert.Equal(built, features.Build(History.Of(future, origin + 1), 0, series.StartIndex + origin, step, known));
                }
        }
    }

    [Fact]
    public void History_refuses_a_read_at_or_after_the_forecast_time()
    {
        var history = new History([1.0, 2, 3, 4], 3, (_, i) => i);
        Assert.Equal(3, history[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => history[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Covariate("any", 3));
    }

    /// <summary>
    /// White noise cannot be forecast better than its mean, which scores a MASE near 0.7 against the seasonal naive; a
    /// leak of the value being forecast would score near 0. This catches leaks the other tests do not model.
    /// </summary>
    [Fact]
    public void No_method_forecasts_white_noise_suspiciously_well()
    {
        using var dir = new TempDir();
        var csv = SyntheticSeries.Monthly(dir, "noise.csv", SyntheticSeries.WhiteNoise(240, seed: 3));
        var engine = new ForecastEngine();
        var work = dir.File("work");
        engine.Prepare(csv, new ForecastSpec { Horizon = 6 }, work);
        foreach (var (method, id) in AllMethods.Select((m, i) => (m, i + 1)))
        {
            var result = engine.RunCandidate(work, new ForecastCandidate(id, method));
            Assert.True(result.Mase > 0.5, $"{method.Describe()}: {result.Status} {result.Error} MASE {result.Mase}");
        }
    }
}
