using System.Globalization;
using System.Text;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain.Forecasting;

/// <summary>Everything a forecast's answer is written from; Span names the period ("the next quarter", "the next 6 months").</summary>
public sealed record ForecastAnswerContext(
    ServedForecaster Model, string? Question, SeriesForecast Forecast, string Span, IReadOnlyList<string> Assumed, IReadOnlyList<string> Warnings)
{
    /// <summary>The period the question asked about when it named a date ("Mar 2024"): the answer leads with it.</summary>
    internal NamedPeriod? Period { get; init; }
}

/// <summary>A forecast in words: the deterministic template, and what an LLM is given to write one.</summary>
public static class ForecastAnswer
{
    /// <summary>Steps listed one by one; a longer forecast is summed up by its first and last steps.</summary>
    private const int ListedSteps = 12;
    private const int EndSteps = 3;

    public const string Instructions =
        """
        You explain a forecast to a non-expert in two to four plain sentences. Use only the facts given: the forecast
        table (timestamp, forecast, and the 80% and 95% prediction intervals lo80-hi80 and lo95-hi95), the share of
        backtest points the intervals covered, and the backtest accuracy (MASE below 1 beats the seasonal naive
        forecast, which repeats the value one season earlier). Say how the series is expected to move and how uncertain
        that is. Mention the warnings and what was assumed, if any. Do not invent numbers.
        """;

    public static string Write(ForecastAnswerContext context)
    {
        var card = context.Model.Forecaster.Card;
        var points = context.Forecast.Points;
        var frequency = card.Input.Frequency;
        var text = new StringBuilder();
        // A question about one date gets that date's forecast first; the table to it follows.
        if (context.Period is { } period && points.Where(p => p.Timestamp >= period.Start && p.Timestamp <= period.End).ToList() is [var asked] && points.Count > 1)
            text.Append($"{period.Label}: {Number(asked.Forecast)} (80% interval {Number(asked.Lo80)} to {Number(asked.Hi80)}). ");
        text.Append($"Forecast of {card.Target}")
            .Append(context.Forecast.Series is { } series ? $" for {series}" : "")
            .Append(context.Period is null ? $" over {context.Span}" : $" {context.Span}")
            .Append($" ({When(points[0].Timestamp, frequency)} to {When(points[^1].Timestamp, frequency)}): ");
        var shown = points.Count <= ListedSteps ? points : [.. points.Take(EndSteps), .. points.TakeLast(EndSteps)];
        text.AppendJoin(", ", shown.Select((p, i) =>
            (points.Count > ListedSteps && i == EndSteps ? "…, " : "") + $"{Number(p.Forecast)} in {When(p.Timestamp, frequency)} ({Number(p.Lo80)} to {Number(p.Hi80)})"));
        text.Append(". The ranges are 80% prediction intervals");
        if (card.Coverage.Coverage80 is { } covered)
            text.Append($"; on the backtest they held {Percent(covered)} of the actual values");
        text.Append($" (95% at the last step: {Number(points[^1].Lo95)} to {Number(points[^1].Hi95)}).");
        if (context.Assumed.Count > 0)
            text.Append(" Assumed (not in the input): ").AppendJoin(", ", context.Assumed).Append('.');
        foreach (var warning in context.Warnings) text.Append(" Note: ").Append(warning);
        return text.Append($" Forecaster {context.Model.Dataset} version {context.Model.Version}, backtest MASE {Number(card.Backtest.Mase)}")
            .Append(card.SeasonalNaiveBacktest is { } naive ? $" (seasonal naive {Number(naive.Mase)})." : ".").ToString();
    }

    /// <summary>The facts an LLM writes the answer from: the whole table, the intervals' measured coverage, the backtest.</summary>
    public static object Facts(ForecastAnswerContext context)
    {
        var card = context.Model.Forecaster.Card;
        return new
        {
            question = context.Question,
            dataset = context.Model.Dataset,
            target = card.Target,
            series = context.Forecast.Series,
            frequency = card.Input.Frequency,
            period = context.Span,
            askedAbout = context.Period?.Label,
            forecast = context.Forecast.Points,
            intervalCoverageOnBacktest = card.Coverage,
            backtestMase = card.Backtest.Mase,
            seasonalNaiveMase = card.SeasonalNaiveBacktest?.Mase,
            assumed = context.Assumed,
            warnings = context.Warnings,
        };
    }

    /// <summary>A timestamp as its frequency names it: "Jan 1961", "1961 Q1", "1961", "1961-01-05", "1961-01-05 14:00".</summary>
    private static string When(DateTime time, SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.Monthly => time.ToString("MMM yyyy", CultureInfo.InvariantCulture),
        SeriesFrequency.Quarterly => $"{time.Year} Q{(time.Month - 1) / 3 + 1}",
        SeriesFrequency.Yearly => time.Year.ToString(CultureInfo.InvariantCulture),
        SeriesFrequency.Hourly => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        _ => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>Three significant figures at least, without a long tail of decimals.</summary>
    private static string Number(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 1 ? "0.##" : "0.###", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("0", CultureInfo.InvariantCulture) + "%";
}
