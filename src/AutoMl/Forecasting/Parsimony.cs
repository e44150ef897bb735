namespace Serverless.AutoMl.Forecasting;

/// <summary>How much better a forecast backtests than a simpler one: the mean per-fold MASE gain and its standard error.</summary>
internal sealed record FoldComparison(double Gain, double StandardError, int Folds)
{
    /// <summary>
    /// The gain exceeds one standard error (the one-standard-error rule); with too few folds for a standard error,
    /// any gain counts.
    /// </summary>
    public bool Clear => Folds < Parsimony.MinFolds ? Gain > 0 : Gain > StandardError;
}

/// <summary>
/// Parsimony in selection, the one-standard-error rule: the final forecast is the simplest candidate that the best
/// forecast does not beat clearly on the backtest. On a series the backtest cannot separate models on (a random walk),
/// a complex forecast's lead is noise, and the simpler one is the safer bet. Folds are the units: series of one fold
/// share its period and steps of one forecast share its origin, so neither is an independent sample.
/// </summary>
internal static class Parsimony
{
    /// <summary>Folds a standard error needs at least; with fewer, the lower MASE wins.</summary>
    public const int MinFolds = 3;

    /// <summary>Complexity of trees (and of blends holding them): above every smoothing model's.</summary>
    public const int Complex = int.MaxValue;

    /// <summary>
    /// How complex a method is, by its fitted parameters per series: none for the (seasonal) naive forecasts, for
    /// exponential smoothing one per smoothing component (level, trend, season) and one for damping, for ARIMA the most
    /// coefficients its orders may take plus its mean; trees are Complex.
    /// </summary>
    public static int Complexity(ForecastMethod method) => method switch
    {
        SeasonalNaiveMethod => 0,
        ExponentialSmoothingMethod ets => 1 + (ets.Trend == TrendKind.None ? 0 : 1) + (ets.Trend == TrendKind.Damped ? 1 : 0) +
                                          (ets.Season == SeasonKind.None ? 0 : 1),
        ArimaMethod arima => 1 + arima.MaxP + arima.MaxQ + arima.MaxSeasonalP + arima.MaxSeasonalQ,
        _ => Complex,
    };

    /// <summary>The forecast's per-fold MASE gain over the simpler one's on the same folds.</summary>
    public static FoldComparison Compare(IReadOnlyList<FoldForecast> forecast, IReadOnlyList<FoldForecast> simpler)
    {
        var gains = forecast.Zip(simpler, (f, b) => FoldMase(b) - FoldMase(f)).ToList();
        var mean = gains.Average();
        var variance = gains.Count > 1 ? gains.Sum(g => (g - mean) * (g - mean)) / (gains.Count - 1) : 0;
        return new FoldComparison(mean, Math.Sqrt(variance / gains.Count), gains.Count);
    }

    private static double FoldMase(FoldForecast fold) => Backtest.Totals(fold.Series).Metrics().Mase;
}
