using System.Text.Json.Serialization;

namespace Serverless.AutoMl.Forecasting;

// The forecasting surface other projects build on. Like the engine's contracts, every type here is JSON-serializable
// with System.Text.Json (web defaults) because it travels through orchestration history, blob metadata and HTTP.

/// <summary>How far apart a series' timestamps are; it decides the seasonal period and the calendar features.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesFrequency>))]
public enum SeriesFrequency
{
    [JsonStringEnumMemberName("hourly")] Hourly,
    [JsonStringEnumMemberName("daily")] Daily,
    /// <summary>Monday to Friday; weekends are not gaps.</summary>
    [JsonStringEnumMemberName("businessDaily")] BusinessDaily,
    [JsonStringEnumMemberName("weekly")] Weekly,
    [JsonStringEnumMemberName("monthly")] Monthly,
    [JsonStringEnumMemberName("quarterly")] Quarterly,
    [JsonStringEnumMemberName("yearly")] Yearly,
}

/// <summary>What the uploader asked for; a null means "infer it".</summary>
public sealed record ForecastSpec
{
    /// <summary>The timestamp column; inferred when exactly one column holds dates.</summary>
    public string? TimeColumn { get; init; }
    /// <summary>The value to forecast; inferred like the engine's label (target/y/value/label, else the last numeric column).</summary>
    public string? Target { get; init; }
    /// <summary>Steps to forecast and to backtest on; default per frequency (12 months, 8 quarters, 14 days...).</summary>
    public int? Horizon { get; init; }
    /// <summary>The column naming the series when the file holds several in long format (one row per series and time).</summary>
    public string? SeriesColumn { get; init; }
    /// <summary>
    /// Columns whose future values are known in advance (calendar-like, planned events): the model may use them at the
    /// forecast time, and a caller may supply them. Every other numeric column is past-only: used up to the forecast origin.
    /// </summary>
    public IReadOnlyList<string> KnownColumns { get; init; } = [];
    /// <summary>Overrides the frequency detected from the timestamps.</summary>
    public SeriesFrequency? Frequency { get; init; }
    public int? BudgetSeconds { get; init; }
    public int? Seed { get; init; }
    /// <summary>Candidates backtested at once (default: the machine's cores).</summary>
    public int? ParallelCandidates { get; init; }

    /// <summary>The forecast a run's training spec asks for: its label is the target, its parallel trials the parallel candidates.</summary>
    public static ForecastSpec From(TrainingSpec spec) => new()
    {
        TimeColumn = spec.TimeColumn, Target = spec.Label, Horizon = spec.Horizon, SeriesColumn = spec.SeriesColumn,
        KnownColumns = spec.KnownColumns ?? [], BudgetSeconds = spec.BudgetSeconds, Seed = spec.Seed, ParallelCandidates = spec.ParallelTrials,
    };
}

/// <summary>A column the model does not use, and why.</summary>
public sealed record DroppedColumn(string Name, string Reason);

/// <summary>One series as read: its span, and what had to be repaired to put it on the frequency's grid.</summary>
public sealed record SeriesProfile
{
    /// <summary>The series' name in the series column; null for a single series.</summary>
    public string? Id { get; init; }
    /// <summary>Points on the regular grid, gaps filled included.</summary>
    public required int Points { get; init; }
    public required DateTime Start { get; init; }
    public required DateTime End { get; init; }
    /// <summary>Grid timestamps with no row, filled by linear interpolation of the target.</summary>
    public int Gaps { get; init; }
    /// <summary>Rows sharing a grid timestamp with an earlier row; their values are averaged.</summary>
    public int Duplicates { get; init; }
    /// <summary>Rows whose target was missing or not a number, treated like gaps.</summary>
    public int MissingTargets { get; init; }
}

/// <summary>What Prepare learned about the data and the settings the search runs with. No row data.</summary>
public sealed record ForecastProfile
{
    public required string TimeColumn { get; init; }
    public required string Target { get; init; }
    public string? SeriesColumn { get; init; }
    public required SeriesFrequency Frequency { get; init; }
    /// <summary>Steps in one season (7 for daily, 12 for monthly...); 1 when the frequency has none.</summary>
    public required int SeasonalPeriod { get; init; }
    public required int Horizon { get; init; }
    /// <summary>Rolling-origin backtest folds; fold k (0 = latest) forecasts the horizon after cutting a horizon and k strides off each series.</summary>
    public required int Folds { get; init; }
    /// <summary>Steps between consecutive folds' cutoffs: a horizon (back-to-back folds) or more (folds spread over the history).</summary>
    public required int FoldStride { get; init; }
    public required IReadOnlyList<SeriesProfile> Series { get; init; }
    public IReadOnlyList<string> KnownColumns { get; init; } = [];
    public IReadOnlyList<string> PastColumns { get; init; } = [];
    public IReadOnlyList<DroppedColumn> DroppedColumns { get; init; } = [];
    /// <summary>Every target value is above zero, so ratio normalization and multiplicative seasonality are possible.</summary>
    public required bool PositiveTarget { get; init; }
    /// <summary>Repairs and choices the user should know about (gaps filled, duplicates averaged, a column inferred).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    public required int Rows { get; init; }
    public required int BudgetSeconds { get; init; }
    public required int Seed { get; init; }
    public required int ParallelCandidates { get; init; }
    public required double CandidateTimeoutSeconds { get; init; }
    public required double PrepareSeconds { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TrendKind>))]
public enum TrendKind
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("additive")] Additive,
    /// <summary>An additive trend that flattens out with the horizon.</summary>
    [JsonStringEnumMemberName("damped")] Damped,
}

[JsonConverter(typeof(JsonStringEnumConverter<SeasonKind>))]
public enum SeasonKind
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("additive")] Additive,
    /// <summary>Seasonal swings proportional to the level (positive series only).</summary>
    [JsonStringEnumMemberName("multiplicative")] Multiplicative,
}

[JsonConverter(typeof(JsonStringEnumConverter<TreeLearner>))]
public enum TreeLearner
{
    [JsonStringEnumMemberName("lightgbm")] LightGbm,
    [JsonStringEnumMemberName("fasttree")] FastTree,
}

/// <summary>How a one-model regressor reaches several steps ahead.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MultiStepStrategy>))]
public enum MultiStepStrategy
{
    /// <summary>One model for every step, the step a feature, all features read at the forecast origin.</summary>
    [JsonStringEnumMemberName("direct")] Direct,
    /// <summary>A one-step model fed its own forecasts.</summary>
    [JsonStringEnumMemberName("recursive")] Recursive,
}

/// <summary>What the regressor's target and lags are relative to: the series' recent level at the origin.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LevelNormalization>))]
public enum LevelNormalization
{
    [JsonStringEnumMemberName("none")] None,
    /// <summary>Values minus the recent level: trees can then follow a trend they could not extrapolate.</summary>
    [JsonStringEnumMemberName("difference")] Difference,
    /// <summary>Values divided by the recent level (positive series only): growth with proportional swings.</summary>
    [JsonStringEnumMemberName("ratio")] Ratio,
}

/// <summary>A forecasting method and its settings: what a candidate trains. Serialized with a "model" discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "model")]
[JsonDerivedType(typeof(SeasonalNaiveMethod), "seasonalNaive")]
[JsonDerivedType(typeof(ExponentialSmoothingMethod), "ets")]
[JsonDerivedType(typeof(ArimaMethod), "arima")]
[JsonDerivedType(typeof(TreeRegressionMethod), "trees")]
public abstract record ForecastMethod
{
    /// <summary>A short human-readable name, e.g. "ets(damped, multiplicative)".</summary>
    public abstract string Describe();
}

/// <summary>Repeats the value one period ago; a period of 1 is the naive (random walk) forecast.</summary>
public sealed record SeasonalNaiveMethod(int Period) : ForecastMethod
{
    public override string Describe() => Period == 1 ? "naive" : $"seasonal naive (period {Period})";
}

/// <summary>Holt-Winters exponential smoothing with additive errors; smoothing parameters fitted per series.</summary>
public sealed record ExponentialSmoothingMethod(TrendKind Trend, SeasonKind Season) : ForecastMethod
{
    public override string Describe() => $"ets(trend {Trend.ToString().ToLowerInvariant()}, season {Season.ToString().ToLowerInvariant()})";
}

/// <summary>
/// Seasonal ARIMA fitted per series: the differencing from a seasonal-strength and a unit-root test, the orders up to
/// these maxima by AICc (the seasonal ones only with a seasonal period and enough seasons).
/// </summary>
public sealed record ArimaMethod(int MaxP, int MaxQ, int MaxSeasonalP, int MaxSeasonalQ) : ForecastMethod
{
    public override string Describe() => MaxSeasonalP + MaxSeasonalQ == 0
        ? $"arima(p ≤ {MaxP}, q ≤ {MaxQ})"
        : $"sarima(p ≤ {MaxP}, q ≤ {MaxQ}, P ≤ {MaxSeasonalP}, Q ≤ {MaxSeasonalQ})";
}

/// <summary>One gradient-boosted regressor over every series on lag, rolling, calendar and covariate features.</summary>
public sealed record TreeRegressionMethod : ForecastMethod
{
    public required TreeLearner Learner { get; init; }
    public required MultiStepStrategy Strategy { get; init; }
    /// <summary>Most recent values at the origin used as features (at least 1).</summary>
    public required int Lags { get; init; }
    /// <summary>Same-phase values one, two... seasons back from the forecast time (0 = none).</summary>
    public required int SeasonalLags { get; init; }
    /// <summary>Rolling mean and standard deviation over this many recent values (0 = none).</summary>
    public required int Window { get; init; }
    public required LevelNormalization Normalization { get; init; }
    /// <summary>Calendar parts of the forecast time (month, quarter, day of week... as the frequency has them).</summary>
    public required bool Calendar { get; init; }
    /// <summary>The time index as a feature.</summary>
    public required bool TimeIndex { get; init; }
    public required int Leaves { get; init; }
    public required int Trees { get; init; }
    public required double LearningRate { get; init; }
    public required int MinLeafCount { get; init; }

    public override string Describe() =>
        $"{Learner.ToString().ToLowerInvariant()} {Strategy.ToString().ToLowerInvariant()} (lags {Lags}, seasonal lags {SeasonalLags}, " +
        $"window {Window}, {Normalization.ToString().ToLowerInvariant()}{(Calendar ? ", calendar" : "")}{(TimeIndex ? ", time index" : "")}; " +
        $"{Trees} trees × {Leaves} leaves, rate {LearningRate:0.###}, min leaf {MinLeafCount})";
}

/// <summary>One piece of search work: a method to backtest, numbered by the search.</summary>
public sealed record ForecastCandidate(int Id, ForecastMethod Method);

/// <summary>
/// Error sums over backtest points, kept as sums so that folds run apart (as parallel activities) combine exactly.
/// Scaled errors are divided by their series' in-sample seasonal naive error (the MASE denominator).
/// </summary>
public sealed record ErrorTotals(int Count, double AbsoluteError, double SquaredError, double SymmetricPercentError, double ScaledError)
{
    public static readonly ErrorTotals Empty = new(0, 0, 0, 0, 0);

    public ErrorTotals Add(ErrorTotals other) => new(Count + other.Count, AbsoluteError + other.AbsoluteError,
        SquaredError + other.SquaredError, SymmetricPercentError + other.SymmetricPercentError, ScaledError + other.ScaledError);

    public ForecastMetrics Metrics() => Count == 0
        ? new(double.NaN, double.NaN, double.NaN, double.NaN)
        : new(AbsoluteError / Count, Math.Sqrt(SquaredError / Count), 100 * SymmetricPercentError / Count, ScaledError / Count);
}

/// <summary>Backtest accuracy. sMAPE is in percent (0..200); MASE below 1 beats the in-sample seasonal naive.</summary>
public sealed record ForecastMetrics(double Mae, double Rmse, double Smape, double Mase);

/// <summary>A candidate's backtest: over every fold it ran, or over the one fold it was asked for.</summary>
public sealed record CandidateResult
{
    public required int CandidateId { get; init; }
    public required ForecastMethod Method { get; init; }
    public required TrialStatus Status { get; init; }
    /// <summary>The folds these totals cover.</summary>
    public IReadOnlyList<int> Folds { get; init; } = [];
    public ErrorTotals Totals { get; init; } = ErrorTotals.Empty;
    public double Seconds { get; init; }
    public string? Error { get; init; }

    /// <summary>MASE over the folds run; the search and the champion selection rank by it.</summary>
    [JsonIgnore]
    public double? Mase => Status == TrialStatus.Succeeded && Totals.Count > 0 ? Totals.Metrics().Mase : null;

    /// <summary>Combines one candidate's per-fold results (run apart) into its backtest; any failure fails it.</summary>
    public static CandidateResult Combine(IReadOnlyList<CandidateResult> folds)
    {
        var failed = folds.FirstOrDefault(f => f.Status != TrialStatus.Succeeded);
        return folds[0] with
        {
            Status = failed?.Status ?? TrialStatus.Succeeded,
            Error = failed?.Error,
            Folds = [.. folds.SelectMany(f => f.Folds).Order()],
            Totals = folds.Aggregate(ErrorTotals.Empty, (sum, f) => sum.Add(f.Totals)),
            Seconds = folds.Sum(f => f.Seconds),
        };
    }
}

/// <summary>Runs candidates' backtests (all folds each) and returns their results; the in-process one uses tasks.</summary>
public interface ICandidateExecutor
{
    Task<IReadOnlyList<CandidateResult>> RunAsync(IReadOnlyList<ForecastCandidate> candidates);
}

/// <summary>Where a forecasting search stands: enough to continue it elsewhere (it travels through orchestration history).</summary>
public sealed record ForecastSearchState
{
    public required DateTime StartedAt { get; init; }
    /// <summary>Every candidate's backtest, in the order they came back.</summary>
    public IReadOnlyList<CandidateResult> History { get; init; } = [];
    /// <summary>False when the search stopped at its segment's candidates with more to do.</summary>
    public bool Finished { get; init; }
}

/// <summary>One step of a forecast with its 80% and 95% prediction intervals.</summary>
public sealed record ForecastPoint(DateTime Timestamp, double Forecast, double Lo80, double Hi80, double Lo95, double Hi95);

public sealed record SeriesForecast
{
    public string? Series { get; init; }
    public required IReadOnlyList<ForecastPoint> Points { get; init; }
    /// <summary>What the caller should know: steps beyond the backtested horizon, known values that were not supplied...</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A future-known column a caller may supply, with the range seen in training.</summary>
public sealed record KnownInput(string Name, double Min, double Max);

/// <summary>A series the forecaster knows: callers name it, forecasts start after its last timestamp.</summary>
public sealed record SeriesInput(string? Id, DateTime LastTimestamp);

/// <summary>What a caller may send: up to Horizon steps (more with a warning), one of Series, values for KnownColumns.</summary>
public sealed record ForecastInputSchema
{
    public required int Horizon { get; init; }
    public required SeriesFrequency Frequency { get; init; }
    public required IReadOnlyList<SeriesInput> Series { get; init; }
    public IReadOnlyList<KnownInput> KnownColumns { get; init; } = [];
}

/// <summary>Measured share of backtest points inside the 80% and 95% intervals (leave-one-fold-out); null with one fold.</summary>
public sealed record IntervalCoverage(double? Coverage80, double? Coverage95, int Points);

/// <summary>A weighted member of the final forecast (weights sum to 1).</summary>
public sealed record ForecastMember(int CandidateId, ForecastMethod Method, double Weight);

public sealed record LeaderboardEntry(int CandidateId, string Method, double Mase, double Seconds);

/// <summary>A value of a series at one of its grid's timestamps.</summary>
public sealed record SeriesPoint(DateTime Timestamp, double Value);

/// <summary>
/// One series as a model page draws it: how it was read (its span and repairs), its last points and the forecast
/// deployed after them. Bounded so that card.json stays small whatever the data.
/// </summary>
public sealed record SeriesSummary
{
    public required SeriesProfile Profile { get; init; }
    /// <summary>The last points on the grid (gaps filled): a few seasons or horizons, whichever is longer.</summary>
    public IReadOnlyList<SeriesPoint> Recent { get; init; } = [];
    /// <summary>The forecaster's forecast of the horizon (at most 96 steps) after the series' end, known columns repeating a season earlier.</summary>
    public IReadOnlyList<ForecastPoint> Forecast { get; init; } = [];
}

/// <summary>What card.json says about a forecaster. Workflow fills the deployment fields when it integrates it.</summary>
public sealed record ForecastCard
{
    public required string Target { get; init; }
    public required string TimeColumn { get; init; }
    public string? SeriesColumn { get; init; }
    public required ForecastInputSchema Input { get; init; }
    public required int SeasonalPeriod { get; init; }
    /// <summary>The final forecast: one member, or a weighted blend chosen on the backtest.</summary>
    public required IReadOnlyList<ForecastMember> Members { get; init; }
    public required string Description { get; init; }
    public required int Folds { get; init; }
    /// <summary>The final forecast's backtest.</summary>
    public required ForecastMetrics Backtest { get; init; }
    /// <summary>Seasonal naive on the same folds: the forecast to beat.</summary>
    public ForecastMetrics? SeasonalNaiveBacktest { get; init; }
    public required IntervalCoverage Coverage { get; init; }
    public IReadOnlyList<LeaderboardEntry> Leaderboard { get; init; } = [];
    public required int Candidates { get; init; }
    public required int Rows { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The first series (up to <see cref="MaxSummarizedSeries"/>) with their recent history and forecast, for charts.</summary>
    public IReadOnlyList<SeriesSummary> SeriesSummaries { get; init; } = [];
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Series the card summarizes; the others are forecast by the chain like them.</summary>
    public const int MaxSummarizedSeries = 10;

    /// <summary>
    /// The card without its chart data and leaderboard, as a run's report carries it: the report travels through the
    /// orchestration's history and the run records (up to ~190 KB with ten series of 96 points otherwise), and it
    /// lists the candidates itself; the registry keeps the whole card.
    /// </summary>
    public ForecastCard WithoutCharts() => this with { SeriesSummaries = [], Leaderboard = [] };
}
