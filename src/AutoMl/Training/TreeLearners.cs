using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>Shared shape of ML.NET's FastTree-family learners: multiclass through one-versus-all.</summary>
internal abstract class TreeLearnerBase<TBinaryModel> : Learner where TBinaryModel : class
{
    /// <summary>FastTree bins every featurized slot densely per row block, so it holds more than the sparse rows.</summary>
    public override double MemoryFactor => 2;

    /// <summary>One-versus-all trains a model per class: beyond a handful of classes LightGBM does the same job at a fraction of the cost.</summary>
    private const int MaxOneVersusAllClasses = 10;

    public override bool Supports(DatasetProfile profile) =>
        profile.Task != MlTask.Multiclass || (profile.Schema.Classes?.Count ?? 0) <= MaxOneVersusAllClasses;

    public override double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        (Int(hp, "numberOfLeaves") ?? 20) * (Int(hp, "numberOfTrees") ?? 100) * CostModel.TreesPerRound(profile) * BytesPerLeaf;

    public override double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) =>
        (Int(hp, "numberOfTrees") ?? 100) * TreeWork(Int(hp, "numberOfLeaves") ?? 20);

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations) =>
        FitForTask(profile, train,
            () => Calibrated(context, ForcedCollections.Off(BinaryTrainer(context, profile, hp))),
            () => context.MulticlassClassification.Trainers.OneVersusAll(ForcedCollections.Off(BinaryTrainer(context, profile, hp))),
            () => ForcedCollections.Off(Regression(context, profile, hp)));

    protected abstract ITrainerEstimator<BinaryPredictionTransformer<TBinaryModel>, TBinaryModel> BinaryTrainer(
        MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp);

    protected abstract IEstimator<ITransformer> Regression(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp);

    /// <summary>Adds Platt calibration to binary learners whose scores are not probabilities.</summary>
    protected virtual IEstimator<ITransformer> Calibrated(MLContext context, IEstimator<ITransformer> binary) => binary;

    protected static T Configure<T>(T options, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) where T : TreeOptions
    {
        options.LabelColumnName = LabelColumn(hp);
        options.NumberOfThreads = profile.ThreadsPerTrial;
        options.Seed = profile.Seed;
        options.NumberOfLeaves = Int(hp, "numberOfLeaves") ?? options.NumberOfLeaves;
        options.NumberOfTrees = Int(hp, "numberOfTrees") ?? options.NumberOfTrees;
        options.MinimumExampleCountPerLeaf = Int(hp, "minimumExampleCountPerLeaf") ?? options.MinimumExampleCountPerLeaf;
        options.FeatureFraction = Real(hp, "featureFraction") ?? options.FeatureFraction;
        return options;
    }
}

/// <summary>FastTree gradient boosting (MART).</summary>
internal sealed class FastTreeLearner : TreeLearnerBase<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>
{
    public override string Name => "fasttree";

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile) =>
    [
        new("numberOfLeaves", 2, RowBound(profile, 1024, 0.5), 4, Integer: true),
        new("numberOfTrees", 4, RowBound(profile, 1000), 20, Integer: true),
        new("minimumExampleCountPerLeaf", 2, RowBound(profile, 128, 0.05), 20, Integer: true),
        new("learningRate", 1.0 / 1024, 1, 0.2),
        new("featureFraction", 0.1, 1, 1, Log: false),
    ];

    /// <summary>A moderate boosted ensemble (FastTree has no early stopping, so its rounds are set).</summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> ZeroShot(DatasetProfile profile) =>
    [
        new Dictionary<string, double>
        {
            ["numberOfLeaves"] = 16, ["numberOfTrees"] = 100, ["minimumExampleCountPerLeaf"] = 10, ["learningRate"] = 0.1,
            ["featureFraction"] = 0.9,
        },
    ];

    protected override ITrainerEstimator<BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> BinaryTrainer(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        context.BinaryClassification.Trainers.FastTree(Boosted(new FastTreeBinaryTrainer.Options(), profile, hp));

    protected override IEstimator<ITransformer> Regression(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        context.Regression.Trainers.FastTree(Boosted(new FastTreeRegressionTrainer.Options(), profile, hp));

    private static T Boosted<T>(T options, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) where T : BoostedTreeOptions
    {
        options.LearningRate = Real(hp, "learningRate") ?? options.LearningRate;
        return Configure(options, profile, hp);
    }
}

/// <summary>FastForest random forest; binary scores get Platt calibration to become probabilities.</summary>
internal sealed class FastForestLearner : TreeLearnerBase<FastForestBinaryModelParameters>
{
    public override string Name => "fastforest";

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile) =>
    [
        new("numberOfLeaves", 4, RowBound(profile, 1024, 0.5), 16, Integer: true),
        new("numberOfTrees", 4, RowBound(profile, 500), 16, Integer: true),
        new("minimumExampleCountPerLeaf", 1, RowBound(profile, 64, 0.05), 2, Integer: true),
        new("featureFraction", 0.1, 1, 0.7, Log: false),
    ];

    /// <summary>A usual random forest: many deep trees on a share of the features (robust untuned, on small data too).</summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> PeerDefaults(DatasetProfile profile) =>
    [
        new Dictionary<string, double>
        {
            ["numberOfLeaves"] = 64, ["numberOfTrees"] = 100, ["minimumExampleCountPerLeaf"] = 2, ["featureFraction"] = 0.6,
        },
    ];

    protected override ITrainerEstimator<BinaryPredictionTransformer<FastForestBinaryModelParameters>, FastForestBinaryModelParameters> BinaryTrainer(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        context.BinaryClassification.Trainers.FastForest(Configure(new FastForestBinaryTrainer.Options(), profile, hp));

    protected override IEstimator<ITransformer> Regression(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        context.Regression.Trainers.FastForest(Configure(new FastForestRegressionTrainer.Options(), profile, hp));

    protected override IEstimator<ITransformer> Calibrated(MLContext context, IEstimator<ITransformer> binary) =>
        binary.Append(context.BinaryClassification.Calibrators.Platt());
}
