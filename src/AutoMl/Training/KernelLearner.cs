using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// An RBF kernel machine: the scaled features mapped to random Fourier features (an approximation of the Gaussian
/// kernel exp(−gamma·‖x − y‖² / r²), where ML.NET measures r² as the rows' average squared distance, so gamma is
/// independent of the feature count and scale) and a linear model on them (L-BFGS logistic regression or maximum
/// entropy). The only smooth nonlinear learner: strong where RBF SVMs are (small and mid-size numeric data), and a
/// family of its own for the ensemble. Classification only: see <see cref="Supports"/>.
/// </summary>
internal sealed class KernelLearner : Learner
{
    public const string KernelColumn = "__kernel";

    /// <summary>The random features are drawn from a fixed seed, so trials and refits of a configuration draw the same ones.</summary>
    private const int FeatureSeed = 17;
    private const int MinRank = 64;
    private const int InitRank = 128;
    private const int MaxRank = 2048;
    /// <summary>Dense input slots at most: the map costs rank × slots per row, and it densifies one-hot and n-gram slots.</summary>
    private const int MaxInputSlots = 512;
    /// <summary>Rows at most: beyond, the trees get the time (the map and its cached rank floats per row grow with the rows).</summary>
    private const int MaxRows = 100_000;
    /// <summary>L-BFGS passes over the mapped rows at most (scikit-learn's logistic regression stops at 100 too).</summary>
    private const int MaxIterations = 100;
    /// <summary>The mapped training rows are cached (rank floats each); they may take this share of a trial's memory.</summary>
    private const double MappedMemoryShare = 0.5;

    public override string Name => "kernel";

    public override bool NeedsNormalization => true;

    /// <summary>
    /// Classification on numeric-like data of moderate size only: no text (thousands of sparse n-grams the map would
    /// densify), few enough dense slots, rows few enough that the cheap start's mapped rows fit. Not regression: its
    /// ridge fit's cross-validated edge there did not carry to held-out rows (the findings: src/AutoMl/README.md).
    /// </summary>
    public override bool Supports(DatasetProfile profile) =>
        profile.Task != MlTask.Regression
        && profile.Features.All(f => f.Kind != FeatureKind.Text)
        && FeatureWidth.DenseSlots(profile.Features) <= MaxInputSlots
        && profile.FullSampleRows() <= MaxRows
        && HighestRank(profile) >= InitRank;

    /// <summary>The cached mapped training rows: rank dense floats per row, beside the featurized rows.</summary>
    public override double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        MappedBytes(DataChoices.SampleRowsOf(profile, hp), Int(hp, "rank") ?? InitRank);

    /// <summary>Mapping and each pass of the linear fit grow with the number of random features.</summary>
    public override double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) => Int(hp, "rank") ?? InitRank;

    protected override IReadOnlyList<HyperParameter> OwnSpace(DatasetProfile profile) =>
    [
        new("gamma", 1.0 / 16, 16, 1),
        new("rank", MinRank, HighestRank(profile), InitRank, Integer: true),
        new("l2Regularization", 1.0 / 1024, 10, 1),
    ];

    /// <summary>
    /// Closer to an untuned RBF SVM (scikit-learn's gamma = 1 / (features × variance) is about 2 here, C = 1 to 10) with
    /// more random features, so the kernel is approximated well.
    /// </summary>
    protected override IEnumerable<IReadOnlyDictionary<string, double>> ZeroShot(DatasetProfile profile) =>
    [
        new Dictionary<string, double> { ["gamma"] = 2, ["rank"] = 512, ["l2Regularization"] = 0.1 },
        new Dictionary<string, double> { ["gamma"] = 4, ["rank"] = 1024, ["l2Regularization"] = 0.01 },
    ];

    public override FittedPredictor Fit(MLContext context, DatasetProfile profile, IReadOnlyDictionary<string, double> hp,
        IDataView train, IDataView? valid, int? iterations)
    {
        var gamma = (float)(Real(hp, "gamma") ?? 1);
        var rank = Int(hp, "rank") ?? InitRank;
        var l2 = (float)(Real(hp, "l2Regularization") ?? 1);
        var threads = profile.ThreadsPerTrial;
        var label = LabelColumn(hp);
        var map = context.Transforms.ApproximatedKernelMap(KernelColumn, FeaturePipeline.FeaturesColumn, rank,
            generator: new GaussianKernel(gamma), seed: FeatureSeed).Fit(train);
        // The linear fit passes over the rows many times: map them once.
        var mapped = context.Data.Cache(map.Transform(train));
        var linear = FitForTask(profile, mapped,
            () => context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2, L1Regularization = 0, MaximumNumberOfIterations = MaxIterations, NumberOfThreads = threads,
                LabelColumnName = label, FeatureColumnName = KernelColumn,
            }),
            () => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = l2, L1Regularization = 0, MaximumNumberOfIterations = MaxIterations, NumberOfThreads = threads,
                LabelColumnName = label, FeatureColumnName = KernelColumn,
            }),
            () => throw new NotSupportedException("The kernel learner does not fit regression (see Supports)."));
        return new(new TransformerChain<ITransformer>(map, linear.Predictor), null);
    }

    /// <summary>The most random features whose mapped training rows fit their share of a trial's memory (a power of two).</summary>
    private static int HighestRank(DatasetProfile profile)
    {
        var rank = MaxRank;
        while (rank > MinRank && MappedBytes(profile.FullSampleRows(), rank) > MappedMemoryShare * MemoryEstimate.Share(profile)) rank /= 2;
        return rank;
    }

    private static double MappedBytes(int rows, int rank) => (double)rows * rank * sizeof(float);
}
