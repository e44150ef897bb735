using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>LightGBM; early stopping on the validation fold decides the number of trees.</summary>
internal sealed class LightGbmLearner : Learner
{
    private const int EarlyStoppingRounds = 20;

    public override string Name => "lightgbm";

    public override double BytesPerValue => 2;

    public override IReadOnlyList<HyperParameter> Space(DatasetProfile profile) =>
    [
        new("numberOfLeaves", 4, RowBound(profile, 32768, 0.5), 4, Integer: true),
        new("minimumExampleCountPerLeaf", 2, RowBound(profile, 128, 0.05), 20, Integer: true),
        new("learningRate", 1.0 / 1024, 1, 0.1),
        new("featureFraction", 0.1, 1, 1, Log: false),
        new("l2Regularization", 1.0 / 1024, 1024, 1),
    ];

    /// <summary>Cheap defaults first, then two zero-shot configs that are strong on typical tabular data.</summary>
    public override IReadOnlyList<IReadOnlyDictionary<string, double>> Portfolio(DatasetProfile profile)
    {
        var space = Space(profile);
        Dictionary<string, double> Config(double leaves, double minLeaf, double rate, double fraction, double l2) =>
            new[] { leaves, minLeaf, rate, fraction, l2 }.Select((v, i) => (space[i].Name, space[i].Clamp(v)))
                .ToDictionary(x => x.Name, x => x.Item2);
        return
        [
            space.ToDictionary(h => h.Name, h => h.Init),
            Config(31, 20, 0.05, 0.8, 1),
            Config(63, 10, 0.1, 0.7, 10),
        ];
    }

    /// <summary>Rounds early stopping may run to: enough for a small learning rate to converge.</summary>
    private static int? MaxIterations(IReadOnlyDictionary<string, double> hp) =>
        Real(hp, "learningRate") is { } rate ? (int)Math.Clamp(30 / rate, 100, 3000) : null;

    public override double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        (Int(hp, "numberOfLeaves") ?? 31) * (MaxIterations(hp) ?? 100) * TreesPerRound(profile) * BytesPerLeaf;

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations)
    {
        var maxIterations = iterations ?? MaxIterations(hp);
        var earlyStopping = valid is not null && iterations is null && hp.Count > 0;
        switch (profile.Task)
        {
            case MlTask.Binary:
                var binary = context.BinaryClassification.Trainers.LightGbm(
                    Configure(new LightGbmBinaryTrainer.Options(), profile, hp, maxIterations, earlyStopping));
                var binaryModel = earlyStopping ? binary.Fit(train, valid) : binary.Fit(train);
                return new(binaryModel, earlyStopping ? TreeCount(binaryModel.Model.SubModel) : null);
            case MlTask.Multiclass:
                var multiclass = context.MulticlassClassification.Trainers.LightGbm(
                    Configure(new LightGbmMulticlassTrainer.Options(), profile, hp, maxIterations, earlyStopping));
                var multiclassModel = earlyStopping ? multiclass.Fit(train, valid) : multiclass.Fit(train);
                return new(multiclassModel, earlyStopping ? TreeCount(PredictorParts.ClassModels(multiclassModel.Model)[0]) : null);
            default:
                var regression = context.Regression.Trainers.LightGbm(
                    Configure(new LightGbmRegressionTrainer.Options(), profile, hp, maxIterations, earlyStopping));
                var regressionModel = earlyStopping ? regression.Fit(train, valid) : regression.Fit(train);
                return new(regressionModel, earlyStopping ? TreeCount(regressionModel.Model) : null);
        }
    }

    private static int? TreeCount(object model) =>
        PredictorParts.Uncalibrated(model) is TreeEnsembleModelParametersBasedOnRegressionTree trees ? trees.TrainedTreeEnsemble.Trees.Count : null;

    private static TOptions Configure<TOptions, TOutput, TTransformer, TModel>(
        LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase options,
        DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? maxIterations, bool earlyStopping)
        where TOptions : LightGbmTrainerBase<TOptions, TOutput, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class
    {
        options.NumberOfThreads = profile.ThreadsPerTrial;
        options.Seed = profile.Seed;
        options.Silent = true;
        options.NumberOfLeaves = Int(hp, "numberOfLeaves") ?? options.NumberOfLeaves;
        options.MinimumExampleCountPerLeaf = Int(hp, "minimumExampleCountPerLeaf") ?? options.MinimumExampleCountPerLeaf;
        options.LearningRate = Real(hp, "learningRate") ?? options.LearningRate;
        options.NumberOfIterations = maxIterations ?? options.NumberOfIterations;
        if (earlyStopping) options.EarlyStoppingRound = EarlyStoppingRounds;
        options.Booster = new GradientBooster.Options
        {
            FeatureFraction = Real(hp, "featureFraction") ?? 1,
            L2Regularization = Real(hp, "l2Regularization") ?? 0.01,
        };
        return (TOptions)options;
    }
}
