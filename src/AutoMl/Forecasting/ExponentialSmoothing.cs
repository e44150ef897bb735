namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// A fitted exponential smoothing model at the end of its series. Seasons[j] is the seasonal state for the j-th step
/// after the end (modulo the period).
/// </summary>
internal sealed record EtsState(SeasonKind Season, double Alpha, double Beta, double Gamma, double Phi, double Level, double Trend, double[] Seasons);

/// <summary>
/// Holt-Winters exponential smoothing in its additive-error state-space form (Hyndman et al., "Forecasting with
/// exponential smoothing", 2008): ETS(A, N|A|Ad, N|A|M). Smoothing parameters, damping and the initial level and trend
/// are fitted by minimizing the one-step squared error; the initial seasons come from the first two seasons.
/// </summary>
internal static class ExponentialSmoothing
{
    public static EtsState Fit(double[] y, ExponentialSmoothingMethod method, int period)
    {
        var season = method.Season != SeasonKind.None && period > 1 && y.Length >= 2 * period &&
                     (method.Season == SeasonKind.Additive || y.All(v => v > 0))
            ? method.Season : SeasonKind.None;
        var m = season == SeasonKind.None ? 1 : period;
        var trend = method.Trend;
        var (level0, trend0, seasons0) = Initial(y, season, m, trend != TrendKind.None);
        var scale = Math.Max(1e-9, y.Zip(y.Skip(1), (a, b) => Math.Abs(b - a)).DefaultIfEmpty(Math.Abs(y[0])).Average());

        // Unconstrained variables: alpha, then beta/alpha, gamma/(1 - alpha), phi, initial level and trend offsets when used.
        EtsState Decode(double[] x)
        {
            var i = 0;
            var alpha = 0.0001 + 0.9998 * Sigmoid(x[i++]);
            var beta = trend == TrendKind.None ? 0 : alpha * Sigmoid(x[i++]);
            var gamma = season == SeasonKind.None ? 0 : (1 - alpha) * Sigmoid(x[i++]);
            var phi = trend switch { TrendKind.Damped => 0.8 + 0.18 * Sigmoid(x[i++]), TrendKind.Additive => 1, _ => 0 };
            var level = level0 + x[i++] * scale;
            var slope = trend == TrendKind.None ? 0 : trend0 + x[i] * scale / m;
            return new EtsState(season, alpha, beta, gamma, phi, level, slope, seasons0);
        }
        var start = new List<double> { Logit(0.3) };
        if (trend != TrendKind.None) start.Add(Logit(0.1));
        if (season != SeasonKind.None) start.Add(Logit(0.1));
        if (trend == TrendKind.Damped) start.Add(Logit(0.5));
        start.Add(0);
        if (trend != TrendKind.None) start.Add(0);
        var best = NelderMead.Minimize(x => Run(y, Decode(x)).SquaredError, [.. start], maxEvaluations: 300 * start.Count);
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

    /// <summary>Classical initial states: the first season's mean, the change to the second's, the first season's pattern.</summary>
    private static (double Level, double Trend, double[] Seasons) Initial(double[] y, SeasonKind season, int m, bool trended)
    {
        if (season == SeasonKind.None)
        {
            var firstSteps = Math.Min(4, y.Length - 1);
            var slope = trended && firstSteps > 0 ? (y[firstSteps] - y[0]) / firstSteps : 0;
            return (y[0], slope, [0]);
        }
        var first = y.Take(m).Average();
        var second = y.Skip(m).Take(m).Average();
        var seasons = y.Take(m).Select(v => season == SeasonKind.Multiplicative ? v / first : v - first).ToArray();
        return (first, trended ? (second - first) / m : 0, seasons);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
