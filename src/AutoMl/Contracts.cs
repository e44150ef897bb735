using System.Text.Json.Serialization;
using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl;

// The public surface other projects build on (Workflow, Chain, Cli). Everything here is JSON-serializable
// with System.Text.Json (web defaults) because it travels through orchestration history and blob storage.
// Enums carry their own string converter so their JSON names are the same whatever the serializer options.

/// <summary>
/// What a run learns. Forecast is never inferred, only asked for (task=forecast): it is the forecasting engine's
/// (Forecasting/ForecastEngine), which a run uses instead of this one's.
/// </summary>
public enum MlTask { Binary, Multiclass, Regression, Forecast }

/// <summary>What the uploader asked for; a null means "infer it".</summary>
public sealed record TrainingSpec
{
    /// <summary>The column to predict; for a forecast, the value to forecast.</summary>
    public string? Label { get; init; }
    public MlTask? Task { get; init; }
    public string? Metric { get; init; }
    public int? BudgetSeconds { get; init; }
    public int? Seed { get; init; }
    /// <summary>Trials (for a forecast: candidates) to run at once.</summary>
    public int? ParallelTrials { get; init; }
    // Forecast only (Forecasting.ForecastSpec has their meaning and inference).
    public string? TimeColumn { get; init; }
    public int? Horizon { get; init; }
    public string? SeriesColumn { get; init; }
    public IReadOnlyList<string>? KnownColumns { get; init; }
}

/// <summary>Unusable input (malformed CSV, missing label, too few rows...). The message is shown to users as is.</summary>
public sealed class InvalidDatasetException(string message) : Exception(message);

/// <summary>A record that does not fit the model. Fields names the offending columns.</summary>
public sealed class InvalidRecordException(string message, IReadOnlyList<string> fields) : Exception(message)
{
    public IReadOnlyList<string> Fields { get; } = fields;
}

/// <summary>
/// One configuration to evaluate. Params holds the learner's hyperparameters and the searched data choices (e.g.
/// sampleRows: training rows per fold, when fewer than all; logTarget: 1 to learn log(1 + label)).
/// </summary>
public sealed record TrialConfig(int Id, string Learner, IReadOnlyDictionary<string, double> Params)
{
    /// <summary>When the trial is cut; null means the profile's trial timeout.</summary>
    public double? TimeoutSeconds { get; init; }
}

/// <summary>How a trial ended. Only a succeeded trial has a score and out-of-fold predictions.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrialStatus>))]
public enum TrialStatus
{
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("timedout")] TimedOut,
    /// <summary>Not trained: estimated not to fit in its share of memory.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>What an input column holds, as inferred from its values.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    [JsonStringEnumMemberName("numeric")] Numeric,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("categorical")] Categorical,
    [JsonStringEnumMemberName("text")] Text,
    [JsonStringEnumMemberName("datetime")] DateTime,
}

/// <summary>How a numeric column writes its numbers; serving reads a record's numbers the same way.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NumberFormat>))]
public enum NumberFormat
{
    /// <summary>A '.' decimal point; a lone ',' (no '.') is read as a decimal comma.</summary>
    [JsonStringEnumMemberName("plain")] Plain,
    /// <summary>',' groups thousands and '.' is the decimal point: 1,234,567.5.</summary>
    [JsonStringEnumMemberName("comma-grouped")] CommaGrouped,
    /// <summary>'.' groups thousands and ',' is the decimal comma: 1.234.567,5.</summary>
    [JsonStringEnumMemberName("dot-grouped")] DotGrouped,
}

/// <summary>How a date column writes its days and months; serving reads a record's dates the same way.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DateOrder>))]
public enum DateOrder
{
    /// <summary>As the invariant culture reads dates: ISO, month first ("01/28/2020"), month names, quarters.</summary>
    [JsonStringEnumMemberName("month-first")] MonthFirst,
    /// <summary>Day first ("28/01/2020", "28.01.2020"): a column that only reads this way; year-first dates still read.</summary>
    [JsonStringEnumMemberName("day-first")] DayFirst,
}

/// <summary>What a model's label is learned as: the value itself, or log(1 + value) for skewed positive targets.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TargetTransform>))]
public enum TargetTransform
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("log1p")] Log1p,
}

/// <summary>The type of a prepared column: a float (NaN = missing), a category, or free text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureKind>))]
public enum FeatureKind
{
    [JsonStringEnumMemberName("num")] Number,
    [JsonStringEnumMemberName("cat")] Category,
    [JsonStringEnumMemberName("text")] Text,
}

public sealed record TrialResult
{
    public required int TrialId { get; init; }
    public required string Learner { get; init; }
    public required IReadOnlyDictionary<string, double> Params { get; init; }
    public required TrialStatus Status { get; init; }
    /// <summary>The optimized metric on validation (CV mean or holdout); null when the trial did not succeed.</summary>
    public double? Score { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public double Seconds { get; init; }
    public string? Error { get; init; }
    /// <summary>Boosting rounds early stopping kept (mean over folds), for the refit and the next proposals.</summary>
    public int? Iterations { get; init; }
    /// <summary>Seconds spent fitting (all folds), without loading data and scoring: what a refit's time scales from.</summary>
    public double? FitSeconds { get; init; }

    /// <summary>Succeeded with a score: the only trials the search steers by and the ensemble is built from.</summary>
    [JsonIgnore]
    public bool Scored => Status == TrialStatus.Succeeded && Score is not null;
}

/// <summary>
/// Runs the trials of one slot, one after another, and returns their results (a failed trial is a result, not an
/// exception). The search loop calls it once per free slot; the orchestrator implements it with activities, the CLI
/// in-process.
/// </summary>
public interface ITrialExecutor
{
    /// <summary>
    /// Whether a call travels to a worker and back (a durable activity). The loop then bundles short trials and keeps
    /// a few calls queued beyond the slots; in-process, every call runs one trial and no call waits.
    /// </summary>
    bool CallsAreRemote => false;

    Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials);

    /// <summary>
    /// The search no longer keeps these trials (a long run keeps a bounded history): their outputs can go. Called on
    /// the loop's thread between calls; it must not fail the search.
    /// </summary>
    void Forget(IReadOnlyList<int> trialIds)
    {
    }
}

/// <summary>Where the search stands after <paramref name="Completed"/> executor calls have come back.</summary>
public sealed record SearchProgress(
    int Completed, int TrialsDone, int TrialsFailed, double? BestScore, string? BestLearner,
    double ElapsedSeconds, double BudgetSeconds)
{
    /// <summary>The trials of the piece of work that just came back, so a watcher can chart each one.</summary>
    public IReadOnlyList<TrialResult> Finished { get; init; } = [];
}

/// <summary>How a search runs besides its profile.</summary>
public sealed record SearchOptions
{
    /// <summary>
    /// Make at most this many executor calls, then return once they came back, to be continued from the returned
    /// state; null searches to the end.
    /// </summary>
    public int? CallsPerSegment { get; init; }

    /// <summary>Run these trials, in this order, instead of the tuner's proposals (ids become 1..n): benchmarks and reproductions.</summary>
    public IReadOnlyList<TrialConfig>? Proposals { get; init; }
}

/// <summary>How many trials a search ran and how many of them scored.</summary>
public sealed record TrialCounts(int Trials, int Succeeded);

/// <summary>Where a search stands: enough to continue it elsewhere (it travels through orchestration history).</summary>
public sealed record SearchState
{
    public required DateTime StartedAt { get; init; }
    /// <summary>
    /// The trials that came back and can still matter, in the order they came back; ids run 1..n in the order they
    /// were proposed. Every trial up to a few thousand; past that a bounded set (the recent, the best, the ones Finish
    /// and the tuner need: see docs/durable-search.md), so a long run's state does not grow with its trials.
    /// </summary>
    public IReadOnlyList<TrialResult> History { get; init; } = [];
    /// <summary>Trials that came back, those no longer in <see cref="History"/> included.</summary>
    public int Trials { get; init; }
    /// <summary>Trials that came back without a score.</summary>
    public int FailedTrials { get; init; }
    /// <summary>Seconds the trials that came back took, summed.</summary>
    public double TrialSeconds { get; init; }
    /// <summary>Trials run and trials that scored, for the model card (the history may hold fewer).</summary>
    [JsonIgnore]
    public TrialCounts Counts => Trials > 0 ? new(Trials, Trials - FailedTrials) : new(History.Count, History.Count(t => t.Scored));
    /// <summary>Executor calls that came back.</summary>
    public int Completed { get; init; }
    /// <summary>Seconds from the search's start to the last call that came back.</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>False when the search stopped at <see cref="SearchOptions.CallsPerSegment"/> with more to do.</summary>
    public bool Finished { get; init; }
}

/// <summary>A column as the deployed model expects it.</summary>
public sealed record ModelColumn
{
    public required string Name { get; init; }
    public required ColumnKind Kind { get; init; }
    /// <summary>Values seen in training (categorical, boolean), most frequent first.</summary>
    public IReadOnlyList<string>? Values { get; init; }
    /// <summary>What an absent value is filled with (median or mode of training).</summary>
    public string? Default { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    /// <summary>Numeric columns: how the numbers are written (null: plain).</summary>
    public NumberFormat? NumberFormat { get; init; }
    /// <summary>Date columns: the order of day and month (null: month first, as ISO and the invariant culture read).</summary>
    public DateOrder? DateOrder { get; init; }
}

public sealed record ModelSchema
{
    public required string Label { get; init; }
    public required MlTask Task { get; init; }
    public required IReadOnlyList<ModelColumn> Columns { get; init; }
    /// <summary>Class labels for binary and multiclass, in the model's order.</summary>
    public IReadOnlyList<string>? Classes { get; init; }
    /// <summary>Input columns of the training file the model does not use (constant, id-like); empty in older packages.</summary>
    public IReadOnlyList<string> DroppedColumns { get; init; } = [];
}

public sealed record Prediction
{
    /// <summary>Predicted class (binary, multiclass).</summary>
    public string? Label { get; init; }
    public IReadOnlyDictionary<string, double>? Probabilities { get; init; }
    /// <summary>Predicted value (regression).</summary>
    public double? Score { get; init; }
}

/// <summary>
/// Why the model answered as it did, additively: the model's raw score for <see cref="ScoreOf"/> is
/// <see cref="BaseValue"/> (its average over the training rows) plus one contribution per input column. Raw score: the
/// margin before calibration or softmax of the predicted class (binary: negated when the negative class is predicted),
/// or the predicted value for regression. An ensemble adds up its members' contributions times their weights.
/// </summary>
public sealed record Contributions
{
    /// <summary>The predicted class, or the label column for regression.</summary>
    public required string ScoreOf { get; init; }
    public required double BaseValue { get; init; }
    /// <summary>BaseValue plus every column's contribution.</summary>
    public required double RawScore { get; init; }
    /// <summary>The columns that moved the raw score most, largest contribution (either sign) first.</summary>
    public required IReadOnlyList<Factor> Factors { get; init; }
    /// <summary>What the columns not listed in Factors contribute together.</summary>
    public required double OtherColumns { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<Direction>))]
public enum Direction
{
    /// <summary>Pushes toward the predicted class, or raises the predicted value.</summary>
    [JsonStringEnumMemberName("raises")] Raises,
    [JsonStringEnumMemberName("lowers")] Lowers,
}

/// <summary>One column's contribution to the raw score (see <see cref="Contributions"/>), with its value.</summary>
public sealed record Factor(string Column, string? Value, double Contribution)
{
    public Direction Direction => Contribution >= 0 ? Direction.Raises : Direction.Lowers;

    /// <summary>Text columns: the words (or word pairs) of the text that contributed most, largest first.</summary>
    public IReadOnlyList<WordContribution>? Words { get; init; }
}

public sealed record WordContribution(string Text, double Contribution);

/// <summary>
/// Finish's featurizing and refit of the deployed model on its rows, in seconds, as planned from the trials and as
/// taken: the evidence its time estimates are judged by (engineering data, kept out of the notes users read).
/// </summary>
public sealed record FinishTimes(int Rows, double FeaturizeSeconds, double PlannedFeaturizeSeconds, double RefitSeconds, double PlannedRefitSeconds);

public sealed record FeatureImportance(string Column, double Importance);

/// <summary>What card.json says about a model. Workflow fills the deployment fields.</summary>
public sealed record ModelCard
{
    public required ModelSchema Schema { get; init; }
    public required string Metric { get; init; }
    public required double CvScore { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    /// <summary>Learner and parameters of the best single model.</summary>
    public required string Learner { get; init; }
    public IReadOnlyDictionary<string, double> Params { get; init; } = new Dictionary<string, double>();
    /// <summary>Members and weights when the model is an ensemble; empty otherwise.</summary>
    public IReadOnlyList<EnsembleMember> Ensemble { get; init; } = [];
    public IReadOnlyList<FeatureImportance> FeatureImportance { get; init; } = [];
    /// <summary>How the model did on rows it was not trained on; null on cards written before it existed.</summary>
    public ModelDiagnostics? Diagnostics { get; init; }
    /// <summary>Rows prepared for the search (the file's labelled rows, or a sample of them).</summary>
    public int Rows { get; init; }
    /// <summary>Labelled rows in the file.</summary>
    public int SourceRows { get; init; }
    /// <summary>Rows the deployed model was refit on.</summary>
    public int TrainedRows { get; init; }
    /// <summary>Every trial the search ran (succeeded or not).</summary>
    public int Trials { get; init; }
    public int TrialsSucceeded { get; init; }
    /// <summary>True when no trial completed and the deployed model is the guaranteed cheapest one, trained by Finish.</summary>
    public bool Fallback { get; init; }
    /// <summary>What the engine decided that a user should know: sampling, holdout, fallback, time cuts.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>What Finish planned against what it took; null on cards written before it existed.</summary>
    public FinishTimes? FinishTimes { get; init; }
    /// <summary>
    /// A forecaster's own card (backtest, interval coverage, what a caller may send); null for other models. A
    /// forecaster's registry card is this one's summary: metric mase, its backtest MASE as the score.
    /// </summary>
    public ForecastCard? Forecast { get; init; }

    public string? Dataset { get; init; }
    public string? Version { get; init; }
    public string? RunId { get; init; }
    /// <summary>The upload that started the run.</summary>
    public string? SourceBlob { get; init; }
    /// <summary>Identifies the data: the same files' contents give the same hash.</summary>
    public string? DataHash { get; init; }
    /// <summary>Every file the model's data came from, in the order they were read; empty on cards written before it existed.</summary>
    public IReadOnlyList<SourceFile> SourceFiles { get; init; } = [];
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>
/// One version of a file a model's data came from, as the host that stored it identifies it (the engine itself reads
/// local paths): its name, the store's version tag, size, content hash and when it was last written.
/// </summary>
public sealed record SourceFile
{
    public required string Name { get; init; }
    public required string ETag { get; init; }
    public long Bytes { get; init; }
    /// <summary>Identifies the content whatever the file's name or version; null until the host has computed it.</summary>
    public string? ContentHash { get; init; }
    public DateTimeOffset LastModified { get; init; }
}

/// <summary>Two models scored with one metric on the same rows: those the champion never trained on.</summary>
public sealed record RowComparison(string Metric, int Rows, double Challenger, double Champion);

public sealed record EnsembleMember(int TrialId, string Learner, double Weight)
{
    public TargetTransform TargetTransform { get; init; }
}

/// <summary>
/// The chosen model's (or ensemble's) out-of-fold predictions summed up for charts, bounded in size so that card.json
/// stays small whatever the rows: a confusion matrix and ROC curve for classification, predicted against actual for
/// regression (its residuals are actual minus predicted).
/// </summary>
public sealed record ModelDiagnostics
{
    /// <summary>Rows with an out-of-fold prediction (all rows under cross-validation, the holdout otherwise).</summary>
    public required int Rows { get; init; }
    /// <summary>Classification: rows counted by actual class (outer list) and predicted class (inner), both in the
    /// schema's class order; null when there are too many classes to show.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? ConfusionMatrix { get; init; }
    /// <summary>Binary: the ROC curve, false positive rate (X) against true positive rate (Y), from (0, 0) to (1, 1).</summary>
    public IReadOnlyList<PlotPoint>? Roc { get; init; }
    /// <summary>Regression: actual (X) and predicted (Y) values of rows sampled evenly across the data.</summary>
    public IReadOnlyList<PlotPoint>? PredictedVsActual { get; init; }
}

public sealed record PlotPoint(double X, double Y);
