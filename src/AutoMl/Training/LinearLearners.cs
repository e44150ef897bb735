using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Serverless.AutoMl.Training;

/// <summary>L-BFGS: logistic regression, maximum entropy, Poisson regression (non-negative labels only).</summary>
internal sealed class LbfgsLearner : Learner
{
    public override string Name => "lbfgs";

    public override bool NeedsNormalization => true;

    public override bool Supports(DatasetProfile profile) => profile.Task != MlTask.Regression || profile.LabelMin >= 0;

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile) =>
    [
        new("l1Regularization", 1.0 / 1024, 10, 1.0 / 1024),
        new("l2Regularization", 1.0 / 1024, 10, 1),
    ];

    /// <summary>
    /// Weaker L2 penalties beside the start's 1 (it weighs against the summed loss, so 1 is strong on a few hundred
    /// rows of min-max scaled features): the linear model is cheap, and it is the best learner on some data.
    /// </summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> ZeroShot(DatasetProfile profile) =>
    [
        new Dictionary<string, double> { ["l2Regularization"] = 0.1 },
        new Dictionary<string, double> { ["l2Regularization"] = 0.01 },
    ];

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations)
    {
        var l1 = (float)(Real(hp, "l1Regularization") ?? 1);
        var l2 = (float)(Real(hp, "l2Regularization") ?? 1);
        var threads = profile.ThreadsPerTrial;
        var label = LabelColumn(hp);
        return FitForTask(profile, train,
            () => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                { L1Regularization = l1, L2Regularization = l2, NumberOfThreads = threads, LabelColumnName = label }),
            () => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
                { L1Regularization = l1, L2Regularization = l2, NumberOfThreads = threads, LabelColumnName = label }),
            () => context.Regression.Trainers.LbfgsPoissonRegression(new LbfgsPoissonRegressionTrainer.Options
                { L1Regularization = l1, L2Regularization = l2, NumberOfThreads = threads, LabelColumnName = label }));
    }
}

/// <summary>SDCA with an iteration cap: uncapped it ran for minutes on wide text features.</summary>
internal sealed class SdcaLearner : Learner
{
    public override string Name => "sdca";

    public override bool NeedsNormalization => true;

    public override double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) => Int(hp, "maximumNumberOfIterations") ?? 10;

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile) =>
    [
        new("l2Regularization", 1e-6, 1, 1e-3),
        new("maximumNumberOfIterations", 5, 100, 10, Integer: true),
    ];

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations)
    {
        var l2 = (float?)Real(hp, "l2Regularization");
        var cap = Int(hp, "maximumNumberOfIterations") ?? 10;
        var threads = profile.ThreadsPerTrial;
        var label = LabelColumn(hp);
        return FitForTask(profile, train,
            () => context.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
                { L2Regularization = l2, MaximumNumberOfIterations = cap, NumberOfThreads = threads, LabelColumnName = label }),
            () => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
                { L2Regularization = l2, MaximumNumberOfIterations = cap, NumberOfThreads = threads, LabelColumnName = label }),
            () => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
                { L2Regularization = l2, MaximumNumberOfIterations = cap, NumberOfThreads = threads, LabelColumnName = label }));
    }
}
