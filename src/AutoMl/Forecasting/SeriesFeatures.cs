namespace Serverless.AutoMl.Forecasting;

/// <summary>What every model of a dataset shares: its grid, season, horizon, series and covariate roles.</summary>
internal sealed record ForecastContext(
    SeriesCalendar Calendar, int Horizon, IReadOnlyList<string?> SeriesIds, IReadOnlyList<string> Known, IReadOnlyList<string> Past, int Seed)
{
    public int Period => Calendar.SeasonalPeriod;
}

/// <summary>
/// The regressors' features for forecasting `step` steps after an origin (the last observed point). Leakage-proof by
/// construction: target history and past-only covariates are read only through a view ending at the origin; only
/// known-in-advance covariates are read at the forecast time, and they are passed in separately.
/// </summary>
internal sealed class SeriesFeatures(TreeRegressionMethod method, ForecastContext context)
{
    private readonly int _period = Math.Max(1, context.Period);
    private bool Direct => method.Strategy == MultiStepStrategy.Direct;
    private bool Seasonal => _period > 1 && method.SeasonalLags > 0;
    private bool OneHotSeries => context.SeriesIds.Count > 1;

    /// <summary>The level normalization averages the last season (the last value when there is no season).</summary>
    private int LevelWindow => _period;

    /// <summary>Points an origin needs behind it (itself included) for every feature to read real history.</summary>
    public int Lookback => Math.Max(Math.Max(method.Lags, method.Window), Math.Max(Seasonal ? _period * method.SeasonalLags : 1, LevelWindow));

    public int Width =>
        (Direct ? 1 : 0) + method.Lags + (Seasonal ? method.SeasonalLags : 0) + (method.Window > 1 ? 2 : 0)
        + (method.Calendar ? context.Calendar.PartCount : 0) + (method.TimeIndex ? 1 : 0) + (OneHotSeries ? context.SeriesIds.Count : 0)
        + context.Known.Count + (Direct ? context.Past.Count : 0);

    /// <summary>The steps one fitted model forecasts from an origin: all of the horizon (direct) or the next one (recursive).</summary>
    public int StepsPerOrigin => Direct ? context.Horizon : 1;

    /// <summary>The value normalization is relative to: the mean of the last LevelWindow values up to the origin.</summary>
    public double Level(History history)
    {
        if (method.Normalization == LevelNormalization.None) return 0;
        var count = Math.Min(LevelWindow, history.Count);
        var sum = 0.0;
        for (var i = history.Count - count; i < history.Count; i++) sum += history[i];
        var level = sum / count;
        // A ratio needs a positive level; the search proposes ratios only for positive series, so this guards forecasts.
        return method.Normalization == LevelNormalization.Ratio ? Math.Max(level, 1e-9) : level;
    }

    public double Normalize(double value, double level) => method.Normalization switch
    {
        LevelNormalization.Difference => value - level,
        LevelNormalization.Ratio => value / level,
        _ => value,
    };

    public double Denormalize(double value, double level) => method.Normalization switch
    {
        LevelNormalization.Difference => value + level,
        LevelNormalization.Ratio => value * level,
        _ => value,
    };

    /// <summary>
    /// Features for the value `step` steps after the history's last point. knownAtTarget holds the known columns'
    /// values at the forecast time; nothing else from after the origin reaches this method.
    /// </summary>
    public float[] Build(History history, int seriesIndex, long originIndex, int step, IReadOnlyDictionary<string, double> knownAtTarget)
    {
        var features = new float[Width];
        var at = 0;
        var level = Level(history);
        var origin = history.Count - 1;
        double Lagged(int index) => Normalize(history[Math.Max(0, index)], level);
        if (Direct) features[at++] = step;
        for (var lag = 0; lag < method.Lags; lag++) features[at++] = (float)Lagged(origin - lag);
        if (Seasonal)
        {
            // The k-th most recent value in the forecast time's phase that the origin has seen.
            var back = _period * ((step + _period - 1) / _period);
            for (var k = 0; k < method.SeasonalLags; k++) features[at++] = (float)Lagged(origin + step - back - k * _period);
        }
        if (method.Window > 1)
        {
            var window = Enumerable.Range(0, method.Window).Select(i => Lagged(origin - i)).ToList();
            var mean = window.Average();
            features[at++] = (float)mean;
            features[at++] = (float)Math.Sqrt(window.Average(v => (v - mean) * (v - mean)));
        }
        var targetIndex = originIndex + step;
        if (method.Calendar)
            foreach (var part in context.Calendar.Parts(context.Calendar.Time(targetIndex))) features[at++] = (float)part;
        if (method.TimeIndex) features[at++] = targetIndex;
        if (OneHotSeries) features[at + seriesIndex] = 1;
        at += OneHotSeries ? context.SeriesIds.Count : 0;
        foreach (var column in context.Known) features[at++] = (float)knownAtTarget[column];
        if (Direct)
            foreach (var column in context.Past) features[at++] = (float)history.Covariate(column, origin);
        return features;
    }
}

/// <summary>
/// A series up to a forecast origin: the only window on target values and past-only covariates the features get.
/// Reading past its end throws, so a feature that looks into the future fails loudly instead of leaking.
/// </summary>
internal sealed class History(IReadOnlyList<double> values, int count, Func<string, int, double> covariate)
{
    public int Count => count;

    public double this[int index] => index < count ? values[index] : throw new ArgumentOutOfRangeException(nameof(index), "a feature read past the forecast origin");

    public double Covariate(string column, int index) =>
        index < count ? covariate(column, index) : throw new ArgumentOutOfRangeException(nameof(index), "a feature read past the forecast origin");

    /// <summary>The first count points of a series.</summary>
    public static History Of(SeriesData series, int count) => new(series.Values, count, (column, i) => series.Covariates[column][i]);
}
