namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// A fitted seasonal ARIMA model at the end of its series, in the series' own units: the differencing and both
/// polynomials multiplied out into y[t] = Constant + Σ Ar[i]·y[t-1-i] + e[t] + Σ Ma[j]·e[t-1-j], with the last values
/// and residuals that recursion reads (oldest first). Orders names the model, e.g. "(1,1,0)(0,1,1)12".
/// </summary>
internal sealed record ArimaState(string Orders, double Constant, double[] Ar, double[] Ma, double[] LastValues, double[] LastResiduals);

/// <summary>
/// Seasonal ARIMA(p,d,q)(P,D,Q)s chosen per series the way Hyndman and Khandakar's auto.arima does: the seasonal
/// difference when the seasonal strength of a classical decomposition exceeds 0.64, then ordinary differences while a
/// KPSS test rejects stationarity at 5% (at most two); then every order up to the method's maxima is fitted by
/// conditional sum of squares (Nelder-Mead over partial autocorrelations, so every fit is stationary and invertible)
/// and the lowest AICc wins. A mean is fitted without differencing, a drift after one difference when it is
/// significant. Forecasts run the recursion forward with future shocks at zero.
/// </summary>
internal static class Arima
{
    private const double SeasonalStrengthThreshold = 0.64;
    /// <summary>KPSS level-stationarity statistic's 5% critical value (Kwiatkowski et al., 1992).</summary>
    private const double KpssCritical = 0.463;
    private const int MaxDifferences = 2;
    /// <summary>Seasons a series needs for a seasonal part: the difference, a seasonal lag and some to fit on.</summary>
    public const int MinSeasons = 4;

    public static ArimaState Fit(double[] y, ArimaMethod method, int period)
    {
        var seasonal = period > 1 && method.MaxSeasonalP + method.MaxSeasonalQ > 0 && y.Length >= MinSeasons * period;
        var s = seasonal ? period : 1;
        var seasonalDifferences = seasonal && SeasonalStrength(y, period) > SeasonalStrengthThreshold ? 1 : 0;
        var w = seasonalDifferences == 1 ? Difference(y, period) : y;
        var differences = 0;
        while (differences < MaxDifferences && w.Length > 10 && Kpss(w) > KpssCritical)
        {
            w = Difference(w, 1);
            differences++;
        }
        var mean = (differences + seasonalDifferences) switch
        {
            0 => w.Average(),
            1 => SignificantMean(w),
            _ => 0,
        };
        var maxSeasonalP = seasonal ? method.MaxSeasonalP : 0;
        var maxSeasonalQ = seasonal ? method.MaxSeasonalQ : 0;
        // Every order is scored on the same residuals: from the longest autoregression's first full window on.
        var start = differences + seasonalDifferences * s + method.MaxP + maxSeasonalP * s;
        Candidate? best = null;
        for (var p = 0; p <= method.MaxP; p++)
            for (var q = 0; q <= method.MaxQ; q++)
                for (var sp = 0; sp <= maxSeasonalP; sp++)
                    for (var sq = 0; sq <= maxSeasonalQ; sq++)
                    {
                        var orders = new Orders(p, differences, q, sp, seasonalDifferences, sq, s);
                        var candidate = FitOrders(y, orders, mean, start);
                        if (candidate is not null && (best is null || candidate.Aicc < best.Aicc)) best = candidate;
                    }
        best ??= FitOrders(y, new Orders(0, differences, 0, 0, seasonalDifferences, 0, s), mean, differences + seasonalDifferences * s)
                 ?? throw new InvalidOperationException("The series is too short for an ARIMA model.");
        return best.State;
    }

    public static double[] Forecast(ArimaState state, int steps)
    {
        var values = new List<double>(state.LastValues);
        var residuals = new List<double>(state.LastResiduals);
        var forecast = new double[steps];
        for (var h = 0; h < steps; h++)
        {
            var next = state.Constant;
            for (var i = 0; i < state.Ar.Length; i++) next += state.Ar[i] * values[^(i + 1)];
            for (var j = 0; j < state.Ma.Length; j++) next += state.Ma[j] * residuals[^(j + 1)];
            forecast[h] = next;
            values.Add(next);
            residuals.Add(0);
        }
        return forecast;
    }

    private sealed record Orders(int P, int D, int Q, int SeasonalP, int SeasonalD, int SeasonalQ, int Period)
    {
        public int Coefficients => P + Q + SeasonalP + SeasonalQ;

        public override string ToString() =>
            $"({P},{D},{Q})" + (SeasonalP + SeasonalD + SeasonalQ > 0 ? $"({SeasonalP},{SeasonalD},{SeasonalQ}){Period}" : "");
    }

    private sealed record Candidate(double Aicc, ArimaState State);

    /// <summary>Fits one order by conditional sum of squares from start on; null when too few residuals remain for its AICc.</summary>
    private static Candidate? FitOrders(double[] y, Orders orders, double mean, int start)
    {
        var residualCount = y.Length - start;
        var parameters = orders.Coefficients + (mean != 0 ? 1 : 0) + 1;
        if (residualCount - parameters - 1 <= 0) return null;
        var residuals = new double[y.Length];
        double SumOfSquares(double[] x)
        {
            var (constant, ar, ma) = Polynomials(x, orders, mean);
            return Filter(y, constant, ar, ma, start, residuals);
        }
        double[] x = orders.Coefficients == 0 ? [] : NelderMead.Minimize(SumOfSquares, new double[orders.Coefficients],
            maxEvaluations: 200 * (orders.Coefficients + 1));
        var sse = SumOfSquares(x);
        if (!double.IsFinite(sse)) return null;
        var aicc = residualCount * Math.Log(Math.Max(sse, 1e-300) / residualCount) + 2 * parameters +
                   2.0 * parameters * (parameters + 1) / (residualCount - parameters - 1);
        var (c, a, m) = Polynomials(x, orders, mean);
        var state = new ArimaState(orders.ToString(), c, Dense(a), Dense(m), y[^Math.Min(y.Length, Degree(a))..],
            residuals[^Math.Min(y.Length, Degree(m))..]);
        return new Candidate(aicc, state);
    }

    /// <summary>
    /// The multiplied-out recursion of a point of the search: nonzero lags and their weights for past values and past
    /// residuals, and the constant the mean (of the differenced series) contributes.
    /// </summary>
    private static (double Constant, (int Lag, double Weight)[] Ar, (int Lag, double Weight)[] Ma) Polynomials(double[] x, Orders orders, double mean)
    {
        var phi = Stationary(x.AsSpan(0, orders.P));
        var theta = Stationary(x.AsSpan(orders.P, orders.Q));
        var seasonalPhi = Stationary(x.AsSpan(orders.P + orders.Q, orders.SeasonalP));
        var seasonalTheta = Stationary(x.AsSpan(orders.P + orders.Q + orders.SeasonalP, orders.SeasonalQ));
        var s = orders.Period;
        // (1 - Σφ B^i)(1 - ΣΦ B^si)(1 - B)^d(1 - B^s)^D y = c + (1 - Σθ' B^j)(1 - ΣΘ' B^sj) e, with θ = -θ' invertible.
        var arLeft = Multiply(Lagged(phi, 1), Lagged(seasonalPhi, s));
        var ar = arLeft;
        for (var i = 0; i < orders.D; i++) ar = Multiply(ar, [1, -1]);
        for (var i = 0; i < orders.SeasonalD; i++) ar = Multiply(ar, Lagged([1], s));
        var ma = Multiply(Lagged(theta, 1), Lagged(seasonalTheta, s));
        var constant = mean * arLeft.Sum();
        static (int, double)[] Terms(double[] polynomial, double sign) =>
            [.. polynomial.Select((v, lag) => (lag, sign * v)).Where(t => t.lag > 0 && t.Item2 != 0)];
        // As a recursion: y[t] = c - Σ ar[i]·y[t-i] + e[t] + Σ ma[j]·e[t-j].
        return (constant, Terms(ar, -1), Terms(ma, 1));
    }

    /// <summary>The polynomial 1 - Σ c_i B^(step·i) as dense coefficients by lag.</summary>
    private static double[] Lagged(double[] coefficients, int step)
    {
        var polynomial = new double[coefficients.Length * step + 1];
        polynomial[0] = 1;
        for (var i = 0; i < coefficients.Length; i++) polynomial[(i + 1) * step] = -coefficients[i];
        return polynomial;
    }

    private static double[] Multiply(double[] a, double[] b)
    {
        var product = new double[a.Length + b.Length - 1];
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++) product[i + j] += a[i] * b[j];
        return product;
    }

    /// <summary>
    /// Coefficients c of a stationary 1 - Σ c_i B^i from unconstrained values: each squashed into a partial
    /// autocorrelation in (-1, 1), turned into coefficients by the Durbin-Levinson recursion (Monahan, 1984).
    /// </summary>
    private static double[] Stationary(ReadOnlySpan<double> x)
    {
        var c = new double[x.Length];
        var previous = new double[x.Length];
        for (var k = 0; k < x.Length; k++)
        {
            var r = Math.Tanh(x[k]);
            Array.Copy(c, previous, k);
            c[k] = r;
            for (var j = 0; j < k; j++) c[j] = previous[j] - r * previous[k - 1 - j];
        }
        return c;
    }

    /// <summary>Runs the recursion over y, residuals zero before start; their sum of squares from start on.</summary>
    private static double Filter(double[] y, double constant, (int Lag, double Weight)[] ar, (int Lag, double Weight)[] ma, int start, double[] residuals)
    {
        Array.Clear(residuals);
        var sse = 0.0;
        for (var t = start; t < y.Length; t++)
        {
            var predicted = constant;
            foreach (var (lag, weight) in ar) predicted += weight * y[t - lag];
            foreach (var (lag, weight) in ma) if (t - lag >= 0) predicted += weight * residuals[t - lag];
            var e = y[t] - predicted;
            residuals[t] = e;
            sse += e * e;
        }
        return double.IsFinite(sse) ? sse : double.MaxValue;
    }

    private static int Degree((int Lag, double Weight)[] terms) => terms.Length == 0 ? 0 : terms.Max(t => t.Lag);

    /// <summary>Weights by lag 1, 2... (zero where a lag has no term), as the state keeps them.</summary>
    private static double[] Dense((int Lag, double Weight)[] terms)
    {
        var dense = new double[Degree(terms)];
        foreach (var (lag, weight) in terms) dense[lag - 1] = weight;
        return dense;
    }

    private static double[] Difference(double[] y, int lag) => [.. Enumerable.Range(lag, y.Length - lag).Select(t => y[t] - y[t - lag])];

    /// <summary>The mean of a differenced series (its drift) when it is over two standard errors from zero, else zero.</summary>
    private static double SignificantMean(double[] w)
    {
        var mean = w.Average();
        var variance = w.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, w.Length - 1);
        return Math.Abs(mean) > 2 * Math.Sqrt(variance / w.Length) ? mean : 0;
    }

    /// <summary>
    /// The KPSS level-stationarity statistic: the squared partial sums of the demeaned series over n² times its
    /// long-run variance (Bartlett weights, 4·(n/100)^¼ lags). Zero for a constant series.
    /// </summary>
    private static double Kpss(double[] x)
    {
        var n = x.Length;
        var mean = x.Average();
        var e = x.Select(v => v - mean).ToArray();
        var partial = 0.0;
        var numerator = 0.0;
        foreach (var v in e)
        {
            partial += v;
            numerator += partial * partial;
        }
        var lags = (int)(4 * Math.Pow(n / 100.0, 0.25));
        var longRun = e.Sum(v => v * v) / n;
        for (var k = 1; k <= lags && k < n; k++)
        {
            var covariance = 0.0;
            for (var t = k; t < n; t++) covariance += e[t] * e[t - k];
            longRun += 2 * (1 - k / (lags + 1.0)) * covariance / n;
        }
        return longRun > 1e-12 * (1 + mean * mean) ? numerator / ((double)n * n * longRun) : 0;
    }

    /// <summary>
    /// Seasonal strength of a classical decomposition, 1 - Var(remainder) / Var(season + remainder) floored at 0
    /// (Wang, Smith and Hyndman, 2006): the detrended series' share that its phase means explain.
    /// </summary>
    private static double SeasonalStrength(double[] y, int period)
    {
        var detrended = Enumerable.Range(period / 2, y.Length - 2 * (period / 2))
            .Select(t => (Phase: t % period, Value: y[t] - ExponentialSmoothing.CentredAverage(y, t, period))).ToList();
        var phaseMeans = detrended.GroupBy(d => d.Phase).ToDictionary(g => g.Key, g => g.Average(d => d.Value));
        var remainder = detrended.Select(d => d.Value - phaseMeans[d.Phase]).ToList();
        var total = Variance(detrended.Select(d => d.Value).ToList());
        return total > 0 ? Math.Max(0, 1 - Variance(remainder) / total) : 0;
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Count;
    }
}
