namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// Split-conformal prediction intervals from backtest residuals. A residual is scaled by its series' local noise
/// level and by its step's typical error (non-decreasing with the step), so residuals of every series and step pool
/// into one sample whose 80% and 95% quantiles set the widths; with few folds, pooling is what gives enough points.
/// </summary>
internal sealed record PredictionIntervals(double[] StepScale, double Quantile80, double Quantile95)
{
    public (double Lo80, double Hi80, double Lo95, double Hi95) Around(double forecast, int step, double localScale)
    {
        var width = Width(step) * localScale;
        return (forecast - Quantile80 * width, forecast + Quantile80 * width, forecast - Quantile95 * width, forecast + Quantile95 * width);
    }

    /// <summary>The step's typical scaled error; past the backtested steps it grows with the square root of the step.</summary>
    private double Width(int step) => step <= StepScale.Length
        ? StepScale[step - 1]
        : StepScale[^1] * Math.Sqrt(step / (double)StepScale.Length);

    public static PredictionIntervals Calibrate(IReadOnlyList<FoldForecast> folds, int horizon)
    {
        var points = Points(folds).ToList();
        var stepScale = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var atStep = points.Where(p => p.Step == h).Select(p => p.Scaled).DefaultIfEmpty(0).Average();
            stepScale[h] = Math.Max(atStep, h > 0 ? stepScale[h - 1] : 1e-9);
        }
        var normalized = points.Select(p => p.Scaled / stepScale[p.Step]).Order().ToList();
        return new PredictionIntervals(stepScale, Quantile(normalized, 0.8), Quantile(normalized, 0.95));
    }

    /// <summary>
    /// Coverage measured honestly: each fold's points against intervals calibrated on the other folds only.
    /// </summary>
    public static IntervalCoverage MeasureCoverage(IReadOnlyList<FoldForecast> folds, int horizon)
    {
        if (folds.Count < 2) return new IntervalCoverage(null, null, 0);
        var (inside80, inside95, total) = (0, 0, 0);
        foreach (var held in folds)
        {
            var intervals = Calibrate([.. folds.Where(f => f != held)], horizon);
            foreach (var series in held.Series)
                for (var h = 0; h < series.Actual.Length; h++)
                {
                    var (lo80, hi80, lo95, hi95) = intervals.Around(series.Predicted[h], h + 1, series.LocalScale);
                    var actual = series.Actual[h];
                    if (actual >= lo80 && actual <= hi80) inside80++;
                    if (actual >= lo95 && actual <= hi95) inside95++;
                    total++;
                }
        }
        return new IntervalCoverage(Math.Round(inside80 / (double)total, 4), Math.Round(inside95 / (double)total, 4), total);
    }

    private static IEnumerable<(int Step, double Scaled)> Points(IEnumerable<FoldForecast> folds) =>
        folds.SelectMany(f => f.Series).SelectMany(s => s.Actual.Select((actual, h) => (h, Math.Abs(actual - s.Predicted[h]) / s.LocalScale)));

    /// <summary>The conformal quantile: the ⌈(n + 1)·level⌉-th smallest score, the largest when that is beyond n.</summary>
    private static double Quantile(List<double> sorted, double level)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling((sorted.Count + 1) * level);
        return sorted[Math.Min(rank, sorted.Count) - 1];
    }
}
