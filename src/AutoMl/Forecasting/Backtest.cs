namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// One series' forecast in one backtest fold. Scale is the MASE denominator (in-sample seasonal naive error of the
/// fold's history); LocalScale the same error over the history's last few seasons, which intervals scale with.
/// </summary>
internal sealed record SeriesFold(int Series, double[] Actual, double[] Predicted, double Scale, double LocalScale);

internal sealed record FoldForecast(int Fold, IReadOnlyList<SeriesFold> Series);

/// <summary>
/// Rolling-origin evaluation with an expanding window: fold k cuts a horizon and k strides off the end of every series,
/// fits on what is left, and forecasts the next horizon. Only the known columns' values are taken from the cut-off part.
/// </summary>
internal static class Backtest
{
    public static int Cutoff(SeriesData series, int fold, int horizon, int stride) => series.Length - horizon - fold * stride;

    public static FoldForecast RunFold(SeriesSet set, ForecastContext context, ForecastMethod method, int fold, int stride, CancellationToken ct)
    {
        var horizon = context.Horizon;
        var histories = set.Series.Select(s => s.Head(Cutoff(s, fold, horizon, stride))).ToList();
        var model = ForecastModels.Fit(method, histories, context, ct);
        var series = set.Series.Select((s, i) =>
        {
            ct.ThrowIfCancellationRequested();
            var cutoff = histories[i].Length;
            var predicted = model.Forecast(i, histories[i], horizon, s.CovariatesAt(cutoff, horizon, context.Known));
            return new SeriesFold(i, s.Values[cutoff..(cutoff + horizon)], predicted,
                MaseScale(histories[i].Values, context.Period), LocalScale(histories[i].Values, context.Period, horizon));
        }).ToList();
        return new FoldForecast(fold, series);
    }

    /// <summary>Error sums over folds, with predictions optionally replaced (a blend of several candidates' forecasts).</summary>
    public static ErrorTotals Totals(IEnumerable<SeriesFold> folds)
    {
        var totals = ErrorTotals.Empty;
        foreach (var fold in folds)
            for (var h = 0; h < fold.Actual.Length; h++)
            {
                var (actual, predicted) = (fold.Actual[h], fold.Predicted[h]);
                var error = Math.Abs(actual - predicted);
                var denominator = Math.Abs(actual) + Math.Abs(predicted);
                totals = totals.Add(new ErrorTotals(1, error, error * error, denominator == 0 ? 0 : 2 * error / denominator, error / fold.Scale));
            }
        return totals;
    }

    /// <summary>
    /// Mean absolute error of the seasonal naive forecast in sample (of the naive one when the history is shorter than
    /// two seasons); never zero, so a constant series still scales.
    /// </summary>
    public static double MaseScale(IReadOnlyList<double> history, int period) => SeasonalDifference(history, period, history.Count);

    /// <summary>The seasonal naive error over the history's last three seasons (at least a horizon): the current noise level.</summary>
    public static double LocalScale(IReadOnlyList<double> history, int period, int horizon) =>
        SeasonalDifference(history, period, Math.Max(3 * period, horizon));

    private static double SeasonalDifference(IReadOnlyList<double> history, int period, int last)
    {
        var lag = history.Count > period ? Math.Max(1, period) : 1;
        var from = Math.Max(lag, history.Count - last);
        var count = history.Count - from;
        if (count <= 0) return 1;
        var sum = 0.0;
        for (var t = from; t < history.Count; t++) sum += Math.Abs(history[t] - history[t - lag]);
        var scale = sum / count;
        return scale > 1e-12 ? scale : lag > 1 ? SeasonalDifference(history, 1, last) : 1;
    }
}
