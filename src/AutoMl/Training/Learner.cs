using Microsoft.ML;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// A hyperparameter's range. Log ranges are searched on a log scale; Init is the cheap starting value. A choice is a
/// 0/1 switch (a data or learner option) that local search flips rather than slides.
/// </summary>
internal sealed record HyperParameter(string Name, double Low, double High, double Init, bool Log = true, bool Integer = false, bool Choice = false)
{
    public static HyperParameter Switch(string name, bool init) => new(name, 0, 1, init ? 1 : 0, Log: false, Integer: true, Choice: true);

    public double Clamp(double value)
    {
        var clamped = Math.Clamp(value, Low, High);
        return Integer ? Math.Round(clamped) : clamped;
    }
}

/// <summary>A trained predictor and, for learners that stop early, the iteration count they stopped at.</summary>
internal sealed record FittedPredictor(ITransformer Predictor, int? Iterations);

/// <summary>Names of the searched data choices a configuration may carry beside its learner's hyperparameters.</summary>
internal static class DataChoices
{
    /// <summary>Training rows per fold (a stratified prefix); absent means all of them.</summary>
    public const string SampleRows = "sampleRows";
    /// <summary>1: the learner fits log(1 + label) and predictions are mapped back, scored on the original scale.</summary>
    public const string LogTarget = "logTarget";

    public static bool IsOn(IReadOnlyDictionary<string, double> hp, string name) => hp.TryGetValue(name, out var v) && v >= 0.5;

    public static TargetTransform TargetOf(IReadOnlyDictionary<string, double> hp) =>
        IsOn(hp, LogTarget) ? TargetTransform.Log1p : TargetTransform.None;

    public static int SampleRowsOf(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        hp.TryGetValue(SampleRows, out var rows) ? (int)rows : profile.FullSampleRows();
}

/// <summary>One family of ML.NET trainers covering the binary, multiclass and regression tasks it supports.</summary>
internal abstract class Learner
{
    public abstract string Name { get; }

    /// <summary>
    /// Whether its trials stop on the validation fold (their kept rounds then come from fewer rows than the refit
    /// sees, so the refit affords a few more); otherwise their round count is the configuration's and the refit keeps it.
    /// </summary>
    public virtual bool StopsEarly(DatasetProfile profile) => false;

    /// <summary>Linear learners need scaled features; trees do not.</summary>
    public virtual bool NeedsNormalization => false;

    /// <summary>Bytes per featurized row a training run holds, as a multiple of the row's sparse size.</summary>
    public virtual double MemoryFactor => 1;

    /// <summary>
    /// Bytes a configuration needs beyond the featurized rows: what makes a config, not a learner, too big (a trained
    /// model of many leaves × many trees × many classes, a kernel's random features of every row). Linear models stay
    /// small whatever their settings.
    /// </summary>
    public virtual double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) => 0;

    /// <summary>
    /// Relative training work of a configuration (per row), to scale a measured trial time to another configuration;
    /// iterations, when known, are the rounds a trial actually ran.
    /// </summary>
    public virtual double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) => 1;

    /// <summary>A tree node's share of a trained ensemble in memory (split, threshold, output, bookkeeping).</summary>
    protected const double BytesPerLeaf = 64;

    public virtual bool Supports(DatasetProfile profile) => true;

    /// <summary>The learner's own hyperparameters and the data choices that apply to the profile.</summary>
    public IReadOnlyList<HyperParameter> Space(DatasetProfile profile) =>
        [.. OwnSpace(profile), .. profile.SkewedTarget ? [HyperParameter.Switch(DataChoices.LogTarget, init: true)] : Array.Empty<HyperParameter>()];

    protected abstract IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile);

    /// <summary>
    /// The configs tried before local search: the cheap start, the proven defaults, then zero-shot picks (the first of
    /// them also with each data choice flipped, so a skewed target is tried both ways).
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Portfolio(DatasetProfile profile)
    {
        var space = Space(profile);
        var start = space.ToDictionary(h => h.Name, h => h.Init);
        var picks = Defaults(profile).Concat(InSpace(space, ZeroShot(profile))).ToList();
        var basis = picks.FirstOrDefault() ?? start;
        var flipped = space.Where(h => h.Choice).Select(choice => basis.ToDictionary(p => p.Key, p => p.Key == choice.Name ? 1 - p.Value : p.Value));
        return [start, .. picks, .. flipped];
    }

    /// <summary>The learner's proven defaults as complete configurations of its space (see <see cref="PeerDefaults"/>).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Defaults(DatasetProfile profile) => InSpace(Space(profile), PeerDefaults(profile));

    private static List<IReadOnlyDictionary<string, double>> InSpace(IReadOnlyList<HyperParameter> space, IEnumerable<IReadOnlyDictionary<string, double>> picks) =>
        [.. picks.Select(pick => space.ToDictionary(h => h.Name, h => h.Clamp(pick.TryGetValue(h.Name, out var v) ? v : h.Init)))];

    /// <summary>
    /// Untuned configurations that peers ship as defaults and that hold up on unseen data: tried first, and Finish
    /// falls back to the best of them when the search's own best does not generalize better (cross-fitted).
    /// </summary>
    protected virtual IEnumerable<IReadOnlyDictionary<string, double>> PeerDefaults(DatasetProfile profile) => [];

    /// <summary>Configurations known to do well on typical tabular data (unlisted parameters keep their Init).</summary>
    protected virtual IEnumerable<IReadOnlyDictionary<string, double>> ZeroShot(DatasetProfile profile) => [];

    /// <summary>
    /// Fits on featurized rows. Validation rows, when given, decide early stopping; a refit passes the
    /// iteration count cross-validation found instead.
    /// </summary>
    public abstract FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations);

    /// <summary>Fits the estimator for the profile's task (for learners without early stopping).</summary>
    protected static FittedPredictor FitForTask(DatasetProfile profile, IDataView train, Func<IEstimator<ITransformer>> binary,
        Func<IEstimator<ITransformer>> multiclass, Func<IEstimator<ITransformer>> regression)
    {
        var estimator = profile.Task switch
        {
            MlTask.Binary => binary(),
            MlTask.Multiclass => multiclass(),
            _ => regression(),
        };
        return new(estimator.Fit(train), null);
    }

    /// <summary>The label column a configuration learns: the label, or its log for a log-target configuration.</summary>
    protected static string LabelColumn(IReadOnlyDictionary<string, double> hp) =>
        DataChoices.IsOn(hp, DataChoices.LogTarget) ? TableView.LogLabelColumn : TableView.LabelColumn;

    protected static int? Int(IReadOnlyDictionary<string, double> hp, string name) =>
        hp.TryGetValue(name, out var v) ? (int)Math.Round(v) : null;

    protected static double? Real(IReadOnlyDictionary<string, double> hp, string name) =>
        hp.TryGetValue(name, out var v) ? v : null;

    /// <summary>Upper bound for a count-like parameter that cannot usefully exceed the row count.</summary>
    protected static double RowBound(DatasetProfile profile, double cap, double fraction = 1) =>
        Math.Max(4, Math.Min(cap, profile.FullSampleRows() * fraction));

    /// <summary>Tree work grows with the depth a tree's leaves need (histograms are built once per level).</summary>
    protected static double TreeWork(double leaves) => 1 + Math.Log2(Math.Max(2, leaves)) / 4;
}

internal static class LearnerCatalog
{
    public static readonly IReadOnlyList<Learner> All =
        [new LightGbmLearner(), new LbfgsLearner(), new FastTreeLearner(), new SdcaLearner(), new FastForestLearner(), new KernelLearner()];

    /// <summary>
    /// The order learners are tried in. Trees are slow on the thousands of sparse n-gram features text brings,
    /// where linear models are usually as good, so data whose features are mostly text starts with the linear learners.
    /// </summary>
    public static IReadOnlyList<Learner> InPreferredOrder(DatasetProfile profile) =>
        TextDominates(profile) ? All.OrderBy(l => l.NeedsNormalization ? 0 : 1).ToList() : All;

    private static bool TextDominates(DatasetProfile profile)
    {
        var text = profile.Features.Where(f => f.Kind == FeatureKind.Text).ToList();
        return text.Count > 0 && FeatureWidth.NonZerosPerRow(text) >= FeatureWidth.NonZerosPerRow(profile.Features) / 2;
    }

    /// <summary>
    /// Each learner's starting configuration on the smallest training sample, in preferred order (LightGBM first, or
    /// L-BFGS when text dominates): a few small trees or a linear fit, cheap on any data. The search's first trial is
    /// the first of them; Finish trains them in turn when no trial completed, so valid data always gets a model.
    /// </summary>
    public static IEnumerable<(Learner Learner, IReadOnlyDictionary<string, double> Params)> Cheapest(DatasetProfile profile) =>
        InPreferredOrder(profile).Where(l => l.Supports(profile))
            .Select(l => (l, OnSample(profile, l.Portfolio(profile)[0], profile.Samples()[0])));

    /// <summary>A configuration that trains on the first sampleRows training rows of each fold (all rows: unchanged).</summary>
    public static IReadOnlyDictionary<string, double> OnSample(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int sampleRows)
    {
        var config = hp.Where(p => p.Key != DataChoices.SampleRows).ToDictionary(p => p.Key, p => p.Value);
        if (sampleRows < profile.FullSampleRows()) config[DataChoices.SampleRows] = sampleRows;
        return config;
    }

    /// <summary>Whether a trial ran one of its learner's proven defaults (on any training sample).</summary>
    public static bool IsDefault(DatasetProfile profile, TrialResult trial) =>
        All.FirstOrDefault(l => l.Name == trial.Learner) is { } learner
        && learner.Defaults(profile).Any(d => SameConfig(OnSample(profile, trial.Params, profile.FullSampleRows()), d));

    /// <summary>Same parameters and values (up to rounding).</summary>
    public static bool SameConfig(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && Math.Abs(v - p.Value) <= 1e-9 * Math.Max(1, Math.Abs(v)));

    public static Learner Get(string name) =>
        All.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"Unknown learner '{name}'.", nameof(name));
}
