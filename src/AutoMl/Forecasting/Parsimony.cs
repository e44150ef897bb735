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

/// <summary>How simple a forecast method is, simplest first.</summary>
internal enum SimplicityTier
{
    /// <summary>Seasonal naive, naive, simple exponential smoothing (no trend, no season).</summary>
    Baseline,
    /// <summary>Any other exponential smoothing: a handful of parameters per series.</summary>
    Smoothing,
    /// <summary>Tree regressors (and blends holding one): hundreds of parameters, tuned by the search.</summary>
    Complex,
}

/// <summary>
/// Parsimony in selection, the one-standard-error rule: a forecast replaces the best of a simpler tier only when it
/// beats it clearly on the backtest. On a series the backtest cannot separate models on (a random walk), a complex
/// forecast's lead is noise, and the simpler one is the safer bet. Folds are the units: series of one fold share its
/// period and steps of one forecast share its origin, so neither is an independent sample.
/// </summary>
internal static class Parsimony
{
    /// <summary>Folds a standard error needs at least; with fewer, the lower MASE wins.</summary>
    public const int MinFolds = 3;

    /// <summary>The tiers a more complex forecast has to beat clearly, simplest first.</summary>
    public static IReadOnlyList<SimplicityTier> SimplerTiers { get; } = [SimplicityTier.Baseline, SimplicityTier.Smoothing];

    public static SimplicityTier TierOf(ForecastMethod method) => method switch
    {
        SeasonalNaiveMethod or ExponentialSmoothingMethod { Trend: TrendKind.None, Season: SeasonKind.None } => SimplicityTier.Baseline,
        ExponentialSmoothingMethod => SimplicityTier.Smoothing,
        _ => SimplicityTier.Complex,
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
