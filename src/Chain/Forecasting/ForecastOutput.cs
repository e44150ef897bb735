using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain.Forecasting;

/// <summary>What the chain answers for a forecaster: the forecast table, in words, and what it assumed.</summary>
public sealed record ForecastOutput
{
    /// <summary>One row per step after the series' last timestamp: the forecast and its 80% and 95% prediction intervals.</summary>
    public required IReadOnlyList<ForecastPoint> Forecast { get; init; }
    /// <summary>The column forecast.</summary>
    public required string Target { get; init; }
    /// <summary>The series forecast; null when the forecaster has one.</summary>
    public string? Series { get; init; }
    public required int Steps { get; init; }
    public required SeriesFrequency Frequency { get; init; }
    public required string Answer { get; init; }
    /// <summary>What the input left to the forecaster: "horizon" (then its backtested horizon), known columns not supplied.</summary>
    public IReadOnlyList<string> Assumed { get; init; } = [];
    /// <summary>Steps beyond the backtested horizon, known values repeated from a season earlier, a span rounded to whole steps.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Share of backtest points the 80% and 95% intervals covered (leave one fold out).</summary>
    public required IntervalCoverage Coverage { get; init; }
    public required string Dataset { get; init; }
    public required string ModelVersion { get; init; }
    /// <summary>The provider that wrote <see cref="Answer"/>: "none" when the template did.</summary>
    public required string Llm { get; init; }
    public string? LlmError { get; init; }
}
