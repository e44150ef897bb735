using Microsoft.ML;

namespace Serverless.AutoMl.Training;

/// <summary>A hyperparameter's range. Log ranges are searched on a log scale; Init is the cheap starting value.</summary>
internal sealed record HyperParameter(string Name, double Low, double High, double Init, bool Log = true, bool Integer = false)
{
    public double Clamp(double value)
    {
        var clamped = Math.Clamp(value, Low, High);
        return Integer ? Math.Round(clamped) : clamped;
    }
}

/// <summary>A trained predictor and, for learners that stop early, the iteration count they stopped at.</summary>
internal sealed record FittedPredictor(ITransformer Predictor, int? Iterations);

/// <summary>One family of ML.NET trainers covering the binary, multiclass and regression tasks it supports.</summary>
internal abstract class Learner
{
    public abstract string Name { get; }

    /// <summary>Linear learners need scaled features; trees do not.</summary>
    public virtual bool NeedsNormalization => false;

    /// <summary>Bytes per feature value a training run holds (a rough multiplier for the memory estimate).</summary>
    public virtual double BytesPerValue => 8;

    /// <summary>
    /// Bytes the trained model can grow to with these hyperparameters: what makes a config, not a learner, too big
    /// (many leaves × many trees × many classes). Linear models stay small whatever their settings.
    /// </summary>
    public virtual double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) => 0;

    /// <summary>A tree node's share of a trained ensemble in memory (split, threshold, output, bookkeeping).</summary>
    protected const double BytesPerLeaf = 64;

    /// <summary>Trees grown per boosting round or forest member: one per class for multiclass, else one.</summary>
    protected static int TreesPerRound(DatasetProfile profile) =>
        profile.Task == MlTask.Multiclass ? profile.Schema.Classes?.Count ?? 1 : 1;

    public virtual bool Supports(DatasetProfile profile) => true;

    public abstract IReadOnlyList<HyperParameter> Space(DatasetProfile profile);

    /// <summary>The configs tried before local search: the cheap defaults, then any zero-shot picks.</summary>
    public virtual IReadOnlyList<IReadOnlyDictionary<string, double>> Portfolio(DatasetProfile profile) =>
        [Space(profile).ToDictionary(h => h.Name, h => h.Init)];

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

    protected static int? Int(IReadOnlyDictionary<string, double> hp, string name) =>
        hp.TryGetValue(name, out var v) ? (int)Math.Round(v) : null;

    protected static double? Real(IReadOnlyDictionary<string, double> hp, string name) =>
        hp.TryGetValue(name, out var v) ? v : null;

    /// <summary>Upper bound for a count-like parameter that cannot usefully exceed the row count.</summary>
    protected static double RowBound(DatasetProfile profile, double cap, double fraction = 1) =>
        Math.Max(4, Math.Min(cap, profile.Rows * fraction));
}

internal static class LearnerCatalog
{
    public static readonly IReadOnlyList<Learner> All =
        [new LightGbmLearner(), new LbfgsLearner(), new FastTreeLearner(), new SdcaLearner(), new FastForestLearner()];

    /// <summary>
    /// The order learners are tried in. Trees are slow on the thousands of sparse n-gram features text brings,
    /// where linear models are usually as good, so text data starts with the linear learners.
    /// </summary>
    public static IReadOnlyList<Learner> InPreferredOrder(DatasetProfile profile) =>
        profile.Features.Any(f => f.Kind == FeatureKind.Text) ? All.OrderBy(l => l.NeedsNormalization ? 0 : 1).ToList() : All;

    public static Learner Get(string name) =>
        All.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"Unknown learner '{name}'.", nameof(name));
}
