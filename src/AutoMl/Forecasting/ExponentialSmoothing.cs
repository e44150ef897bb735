namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// A fitted exponential smoothing model at the end of its series. Seasons[j] is the seasonal state for the j-th step
/// after the end (modulo the period).
/// </summary>
internal sealed record EtsState(SeasonKind Season, double Alpha, double Beta, double Gamma, double Phi, double Level, double Trend, double[] Seasons);

/// <summary>
/// Holt-Winters exponential smoothing in its additive-error state-space form (Hyndman et al., "Forecasting with
/// exponential smoothing", 2008): ETS(A, N|A|Ad, N|A|M). Smoothing parameters, damping, the initial level and trend
/// and (for seasons of up to MaxFittedPeriod steps) the initial seasonal states are fitted by minimizing the one-step
/// squared error, from a classical decomposition's initial states.
/// </summary>
internal static class ExponentialSmoothing
{
    /// <summary>Seasons the initial seasonal pattern is averaged over.</summary>
    private const int InitialSeasons = 4;

    /// <summary>Longest season whose initial states are fitted; longer ones keep the decomposition's (too many variables for Nelder-Mead).</summary>
    private const int MaxFittedPeriod = 12;

    public static EtsState Fit(double[] y, ExponentialSmoothingMethod method, int period)
    {
        var season = method.Season != SeasonKind.None && period > 1 && y.Length >= 2 * period &&
                     (method.Season == SeasonKind.Additive || y.All(v => v > 0))
            ? method.Season : SeasonKind.None;
        var m = season == SeasonKind.None ? 1 : period;
        var trend = method.Trend;
        var (level0, trend0, seasons0) = Initial(y, season, m, trend != TrendKind.None);
        var scale = Math.Max(1e-9, y.Zip(y.Skip(1), (a, b) => Math.Abs(b - a)).DefaultIfEmpty(Math.Abs(y[0])).Average());
        var fittedSeasons = season != SeasonKind.None && m <= MaxFittedPeriod ? m - 1 : 0;
        // A multiplicative season's offsets are relative to the level; an additive one's are in the series' units.
        var seasonUnit = season == SeasonKind.Multiplicative ? scale / Math.Max(1e-9, y.Average()) : scale;

        // Unconstrained variables: alpha, then beta/alpha, gamma/(1 - alpha), phi, initial level and trend offsets when
        // used, then offsets of the first m - 1 initial seasons (renormalized, so together they move all m).
        EtsState Decode(double[] x)
        {
            var i = 0;
            var alpha = 0.0001 + 0.9998 * Sigmoid(x[i++]);
            var beta = trend == TrendKind.None ? 0 : alpha * Sigmoid(x[i++]);
            var gamma = season == SeasonKind.None ? 0 : (1 - alpha) * Sigmoid(x[i++]);
            var phi = trend switch { TrendKind.Damped => 0.8 + 0.18 * Sigmoid(x[i++]), TrendKind.Additive => 1, _ => 0 };
            var level = level0 + x[i++] * scale;
            var slope = trend == TrendKind.None ? 0 : trend0 + x[i++] * scale / m;
            var seasons = fittedSeasons == 0 ? seasons0 : Normalized([.. seasons0.Select((v, j) => j < fittedSeasons ? v + x[i + j] * seasonUnit : v)], season);
            return new EtsState(season, alpha, beta, gamma, phi, level, slope, seasons);
        }
        // Nelder-Mead starts from the best point of a coarse grid: the error surface has several basins.
        var grid = new List<double[]> { Array.Empty<double>() };
        void Axis(params double[] shares) => grid = [.. grid.SelectMany(g => shares.Select(p => (double[])[.. g, Logit(p)]))];
        Axis(0.1, 0.5);
        if (trend != TrendKind.None) Axis(0.05, 0.3);
        if (season != SeasonKind.None) Axis(0.05, 0.5);
        if (trend == TrendKind.Damped) Axis(0.5, 0.9);
        var offsets = (trend == TrendKind.None ? 1 : 2) + fittedSeasons;
        double Error(double[] x) => Run(y, Decode(x)).SquaredError;
        var start = grid.Select(g => (double[])[.. g, .. new double[offsets]]).MinBy(Error)!;
        var best = NelderMead.Minimize(Error, start, maxEvaluations: 300 * start.Length);
        return Run(y, Decode(best)).Final;
    }

    public static double[] Forecast(EtsState state, int steps)
    {
        var forecast = new double[steps];
        var damping = 0.0;
        for (var h = 1; h <= steps; h++)
        {
            damping += Math.Pow(state.Phi, h);
            var trended = state.Level + damping * state.Trend;
            forecast[h - 1] = state.Season switch
            {
                SeasonKind.Additive => trended + state.Seasons[(h - 1) % state.Seasons.Length],
                SeasonKind.Multiplicative => trended * state.Seasons[(h - 1) % state.Seasons.Length],
                _ => trended,
            };
        }
        return forecast;
    }

    /// <summary>Runs the filter through the series from the initial state: the one-step squared error and the final state.</summary>
    private static (double SquaredError, EtsState Final) Run(double[] y, EtsState initial)
    {
        var (alpha, beta, gamma, phi) = (initial.Alpha, initial.Beta, initial.Gamma, initial.Phi);
        var level = initial.Level;
        var slope = initial.Trend;
        var m = initial.Seasons.Length;
        var ring = (double[])initial.Seasons.Clone();
        var sse = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            var trended = level + phi * slope;
            var s = ring[t % m];
            double error;
            switch (initial.Season)
            {
                case SeasonKind.Multiplicative:
                    if (trended <= 0 || s <= 0) return (double.MaxValue, initial);
                    error = y[t] - trended * s;
                    level = trended + alpha * error / s;
                    slope = phi * slope + beta * error / s;
                    ring[t % m] = s + gamma * error / trended;
                    break;
                case SeasonKind.Additive:
                    error = y[t] - trended - s;
                    level = trended + alpha * error;
                    slope = phi * slope + beta * error;
                    ring[t % m] = s + gamma * error;
                    break;
                default:
                    error = y[t] - trended;
                    level = trended + alpha * error;
                    slope = phi * slope + beta * error;
                    break;
            }
            sse += error * error;
            if (double.IsNaN(sse) || double.IsInfinity(sse)) return (double.MaxValue, initial);
        }
        var seasons = Enumerable.Range(0, m).Select(j => ring[(y.Length + j) % m]).ToArray();
        return (sse, initial with { Level = level, Trend = slope, Seasons = seasons });
    }

    /// <summary>
    /// Initial states as Hyndman's ets() makes them: seasons from a classical decomposition (ratios or differences to a
    /// centred moving average) of the first few seasons, level and trend from a line through the first seasonally
    /// adjusted values. Without a season: the first value and the first steps' slope.
    /// </summary>
    private static (double Level, double Trend, double[] Seasons) Initial(double[] y, SeasonKind season, int m, bool trended)
    {
        if (season == SeasonKind.None)
        {
            var firstSteps = Math.Min(4, y.Length - 1);
            var firstSlope = trended && firstSteps > 0 ? (y[firstSteps] - y[0]) / firstSteps : 0;
            return (y[0], firstSlope, [0]);
        }
        var multiplicative = season == SeasonKind.Multiplicative;
        var span = Math.Min(y.Length, InitialSeasons * m);
        var byPhase = Enumerable.Range(0, m).Select(_ => new List<double>()).ToArray();
        for (var t = m / 2; t + m / 2 < span; t++)
        {
            var average = CentredAverage(y, t, m);
            byPhase[t % m].Add(multiplicative ? y[t] / average : y[t] - average);
        }
        var seasons = Normalized([.. byPhase.Select(p => p.Count > 0 ? p.Average() : multiplicative ? 1 : 0)], season);
        var adjusted = Enumerable.Range(0, Math.Min(y.Length, Math.Max(10, m))).Select(t => multiplicative ? y[t] / seasons[t % m] : y[t] - seasons[t % m]).ToList();
        var (intercept, slope) = Line(adjusted);
        return trended ? (intercept, slope, seasons) : (adjusted.Average(), 0, seasons);
    }

    /// <summary>Seasonal states centred on no effect: additive ones sum to zero, multiplicative ones average one.</summary>
    private static double[] Normalized(double[] seasons, SeasonKind season)
    {
        var centre = seasons.Average();
        return [.. seasons.Select(v => season == SeasonKind.Multiplicative ? v / centre : v - centre)];
    }

    /// <summary>The moving average of one season centred on t (a 2×m average for an even m).</summary>
    internal static double CentredAverage(double[] y, int t, int m)
    {
        if (m % 2 == 1) return y.Skip(t - m / 2).Take(m).Average();
        var sum = 0.5 * y[t - m / 2] + 0.5 * y[t + m / 2];
        for (var i = t - m / 2 + 1; i < t + m / 2; i++) sum += y[i];
        return sum / m;
    }

    /// <summary>Least-squares line through values at 0, 1, 2...: its value at 0 and its slope.</summary>
    private static (double Intercept, double Slope) Line(IReadOnlyList<double> values)
    {
        var meanT = (values.Count - 1) / 2.0;
        var meanY = values.Average();
        var covariance = values.Select((v, t) => (t - meanT) * (v - meanY)).Sum();
        var variance = values.Select((_, t) => (t - meanT) * (t - meanT)).Sum();
        var slope = variance > 0 ? covariance / variance : 0;
        return (meanY - slope * meanT, slope);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
