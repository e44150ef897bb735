using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>
/// LightGBM. The round count is searched (from a few rounds up) and early stopping on the validation fold cuts it
/// short; the rounds it kept are the trial's learned iteration count, which the refit reuses.
/// </summary>
internal sealed class LightGbmLearner : Learner
{
    public const string Iterations = "numberOfIterations";
    public const string CategoricalSplit = "useCategoricalSplit";
    public const string PositiveWeight = "positiveWeight";
    /// <summary>Binary data this imbalanced (and a metric that ranks or counts positives) searches a positive-class weight.</summary>
    private const double ImbalancedBelow = 0.25;

    public override string Name => "lightgbm";

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile)
    {
        List<HyperParameter> space =
        [
            new(Iterations, 4, 4096, 32, Integer: true),
            new("numberOfLeaves", 2, RowBound(profile, 32768, 0.5), 4, Integer: true),
            new("minimumExampleCountPerLeaf", 2, RowBound(profile, 128, 0.05), 20, Integer: true),
            new("learningRate", 1.0 / 1024, 1, 0.1),
            new("featureFraction", 0.1, 1, 1, Log: false),
            new("l2Regularization", 1.0 / 1024, 1024, 1),
            new("l1Regularization", 1.0 / 1024, 1024, 1.0 / 1024),
        ];
        if (profile.Features.Any(f => f.Kind == FeatureKind.Category)) space.Add(HyperParameter.Switch(CategoricalSplit, init: false));
        if (profile.PositiveRatio is { } ratio && ratio < ImbalancedBelow && profile.Metric is "auc" or "f1")
            space.Add(new(PositiveWeight, 1, Math.Max(2, (1 - ratio) / ratio), 1));
        return space;
    }

    /// <summary>
    /// What peers get without tuning, so the search never ends below it (except by CV noise): the histogram-boosting
    /// defaults scikit-learn and LightGBM share (100 rounds at 0.1, 31 leaves, 20 rows per leaf, no regularization),
    /// ML.NET's own defaults for this data (<see cref="MlNetDefaults"/>), and on wide data the first with a third of
    /// the columns per tree.
    /// </summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> PeerDefaults(DatasetProfile profile)
    {
        var histogramDefaults = new Dictionary<string, double>
        {
            [Iterations] = 100, ["numberOfLeaves"] = 31, ["minimumExampleCountPerLeaf"] = 20, ["learningRate"] = 0.1,
            ["featureFraction"] = 1, ["l2Regularization"] = 0, ["l1Regularization"] = 0,
        };
        List<IReadOnlyDictionary<string, double>> picks = [histogramDefaults, MlNetDefaults(profile)];
        if (profile.Features.Count >= WideColumns)
            picks.Add(new Dictionary<string, double>(histogramDefaults) { ["featureFraction"] = WideFeatureFraction });
        return picks;
    }

    /// <summary>
    /// Strong configurations on typical tabular data, cheapest first: a moderate one, LightGBM's own at a slower rate,
    /// a deeper one, and a slow small-tree one.
    /// </summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> ZeroShot(DatasetProfile profile) =>
    [
        new Dictionary<string, double>
        {
            [Iterations] = 150, ["numberOfLeaves"] = 15, ["minimumExampleCountPerLeaf"] = 20, ["learningRate"] = 0.1,
            ["featureFraction"] = 0.9, ["l2Regularization"] = 1,
        },
        new Dictionary<string, double>
        {
            [Iterations] = 1000, ["numberOfLeaves"] = 31, ["minimumExampleCountPerLeaf"] = 20, ["learningRate"] = 0.05,
            ["featureFraction"] = 0.8, ["l2Regularization"] = 1,
        },
        new Dictionary<string, double>
        {
            [Iterations] = 500, ["numberOfLeaves"] = 63, ["minimumExampleCountPerLeaf"] = 10, ["learningRate"] = 0.1,
            ["featureFraction"] = 0.7, ["l2Regularization"] = 10,
        },
        new Dictionary<string, double>
        {
            [Iterations] = 2000, ["numberOfLeaves"] = 8, ["minimumExampleCountPerLeaf"] = 5, ["learningRate"] = 0.03,
            ["featureFraction"] = 0.6, ["l2Regularization"] = 1,
        },
    ];

    /// <summary>Input columns from which data counts as wide: a tree per column subset then decorrelates the rounds.</summary>
    private const int WideColumns = 100;
    private const double WideFeatureFraction = 0.3;

    /// <summary>
    /// What ML.NET's LightGBM trainer picks when left to its defaults (100 rounds, L2 0.01, and on up to 100,000 rows a
    /// rate of 0.2 and 20 leaves with 20 rows each; with several classes rows / leaves / classes / 10 rows per leaf,
    /// clamped to 5..50), so its untuned result is a configuration the search always tries.
    /// </summary>
    private static Dictionary<string, double> MlNetDefaults(DatasetProfile profile)
    {
        var large = profile.Rows > 100_000;
        var leaves = large ? 30 : 20;
        var classes = profile.Task == MlTask.Multiclass ? Math.Max(2, profile.PredictionWidth()) : 1;
        var perLeaf = classes > 1 ? Math.Clamp(profile.FullSampleRows() / leaves / classes / 10, 5, 50) : 20;
        return new()
        {
            [Iterations] = 100, ["numberOfLeaves"] = leaves, ["minimumExampleCountPerLeaf"] = perLeaf, ["learningRate"] = large ? 0.25 : 0.2,
            ["featureFraction"] = 1, ["l2Regularization"] = 0.01, ["l1Regularization"] = 0,
        };
    }

    /// <summary>Rounds without improvement before stopping: slow learning rates need more patience.</summary>
    private static int Patience(double learningRate) => (int)Math.Clamp(Math.Round(2 / learningRate), 10, 100);

    /// <summary>
    /// Validation folds smaller than this do not stop boosting early: they are the rows the trial is scored on, and
    /// on a few hundred rows the round that happens to score best there is partly noise that the trial's score then
    /// counts as skill. There the round count is searched like any hyperparameter (and the peers' defaults run exactly
    /// their rounds), as scikit-learn's histogram boosting does below 10,000 rows.
    /// </summary>
    public const int MinEarlyStoppingRows = 500;

    public override bool StopsEarly(DatasetProfile profile) => profile.EvaluatedRows() / Math.Max(1, profile.Folds) >= MinEarlyStoppingRows;

    /// <summary>
    /// Rounds a configuration is expected to run: all of them without early stopping, else about 30 / rate rounds
    /// (where it converges) and the patience.
    /// </summary>
    private double ExpectedRounds(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        StopsEarly(profile)
            ? Math.Min(Int(hp, Iterations) ?? 100, 30 / (Real(hp, "learningRate") ?? 0.1) + Patience(Real(hp, "learningRate") ?? 0.1))
            : Int(hp, Iterations) ?? 100;

    public override double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) =>
        (iterations ?? ExpectedRounds(profile, hp)) * TreeWork(Int(hp, "numberOfLeaves") ?? 31);

    public override double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        (Int(hp, "numberOfLeaves") ?? 31) * (Int(hp, Iterations) ?? 100) * CostModel.TreesPerRound(profile) * BytesPerLeaf;

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations)
    {
        var rounds = iterations ?? Int(hp, Iterations);
        // Without hyperparameters (the CLI's baseline) it is ML.NET's LightGBM with its defaults: no early stopping.
        var earlyStopping = valid is not null && iterations is null && hp.Count > 0 && StopsEarly(profile);
        switch (profile.Task)
        {
            case MlTask.Binary:
                var options = Configure(new LightGbmBinaryTrainer.Options(), profile, hp, rounds, earlyStopping);
                if (Real(hp, PositiveWeight) is { } weight) options.WeightOfPositiveExamples = weight;
                var binary = context.BinaryClassification.Trainers.LightGbm(options);
                var binaryModel = earlyStopping ? binary.Fit(train, valid) : binary.Fit(train);
                return new(binaryModel, TreeCount(binaryModel.Model.SubModel));
            case MlTask.Multiclass:
                var multiclass = context.MulticlassClassification.Trainers.LightGbm(
                    Configure(new LightGbmMulticlassTrainer.Options(), profile, hp, rounds, earlyStopping));
                var multiclassModel = earlyStopping ? multiclass.Fit(train, valid) : multiclass.Fit(train);
                return new(multiclassModel, earlyStopping || rounds is null ? RoundsKept(multiclassModel.Model) : rounds);
            default:
                var regression = context.Regression.Trainers.LightGbm(
                    Configure(new LightGbmRegressionTrainer.Options(), profile, hp, rounds, earlyStopping));
                var regressionModel = earlyStopping ? regression.Fit(train, valid) : regression.Fit(train);
                return new(regressionModel, TreeCount(regressionModel.Model));
        }
    }

    /// <summary>
    /// The rounds a multiclass model kept: ML.NET leaves a class's single-leaf trees out of that class's model (a class
    /// fitted early stops growing trees while the others go on), so one class's trees undercount the rounds, and a
    /// refit on them ran fewer rounds than the trial it was scored as. The class with the most trees ran them all.
    /// </summary>
    internal static int? RoundsKept(OneVersusAllModelParameters model) =>
        PredictorParts.ClassModels(model).Select(TreeCount).Max();

    private static int? TreeCount(object model) =>
        PredictorParts.Uncalibrated(model) is TreeEnsembleModelParametersBasedOnRegressionTree trees ? trees.TrainedTreeEnsemble.Trees.Count : null;

    private static TOptions Configure<TOptions, TOutput, TTransformer, TModel>(
        LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options,
        DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? rounds, bool earlyStopping)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.LabelColumnName = LabelColumn(hp);
        options.NumberOfThreads = profile.ThreadsPerTrial;
        options.Seed = profile.Seed;
        options.Deterministic = true;
        options.Silent = true;
        options.NumberOfLeaves = Int(hp, "numberOfLeaves") ?? options.NumberOfLeaves;
        options.MinimumExampleCountPerLeaf = Int(hp, "minimumExampleCountPerLeaf") ?? options.MinimumExampleCountPerLeaf;
        options.LearningRate = Real(hp, "learningRate") ?? options.LearningRate;
        options.NumberOfIterations = rounds ?? options.NumberOfIterations;
        // Absent, LightGBM decides by row count; as a searched choice it is the configuration's.
        options.UseCategoricalSplit = hp.ContainsKey(CategoricalSplit) ? DataChoices.IsOn(hp, CategoricalSplit) : null;
        if (earlyStopping) options.EarlyStoppingRound = Patience(options.LearningRate ?? 0.1);
        options.Booster = new GradientBooster.Options
        {
            FeatureFraction = Real(hp, "featureFraction") ?? 1,
            L2Regularization = Real(hp, "l2Regularization") ?? 0.01,
            L1Regularization = Real(hp, "l1Regularization") ?? 0,
        };
        return (TOptions)options;
    }
}
