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
/// entropy; for regression ridge regression by SDCA, run to its optimum). The only smooth nonlinear learner: strong where RBF
/// SVMs are (small and mid-size numeric data), and a family of its own for the ensemble.
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
    /// <summary>
    /// SDCA epochs over the mapped rows for regression at most: enough to converge to the ridge optimum for L2 from about
    /// 1/30 up (see <see cref="RegressionEpochs"/>). Stopped short of it (30 epochs), SDCA's answer depended on its row
    /// shuffle: one configuration's cross-validated RMSE moved by 2% with the trial id alone, and the search, proposing
    /// hundreds of near-identical cheap kernel trials, kept the luckiest draw.
    /// </summary>
    private const int MaxRegressionEpochs = 300;
    /// <summary>SDCA stops when its relative duality gap falls below this: converged, the shuffle no longer shows.</summary>
    private const float RegressionTolerance = 1e-5f;
    /// <summary>The mapped training rows are cached (rank floats each); they may take this share of a trial's memory.</summary>
    private const double MappedMemoryShare = 0.5;

    public override string Name => "kernel";

    public override bool NeedsNormalization => true;

    /// <summary>
    /// Numeric-like data of moderate size only: no text (thousands of sparse n-grams the map would densify), few enough
    /// dense slots, rows few enough that the cheap start's mapped rows fit.
    /// </summary>
    public override bool Supports(DatasetProfile profile) =>
        profile.Features.All(f => f.Kind != FeatureKind.Text)
        && FeatureWidth.DenseSlots(profile.Features) <= MaxInputSlots
        && profile.FullSampleRows() <= MaxRows
        && HighestRank(profile) >= InitRank;

    /// <summary>The cached mapped training rows: rank dense floats per row, beside the featurized rows.</summary>
    public override double ModelBytes(DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        MappedBytes(DataChoices.SampleRowsOf(profile, hp), Int(hp, "rank") ?? InitRank);

    /// <summary>Mapping and each pass of the linear fit grow with the number of random features; SDCA's passes with 1 / L2.</summary>
    public override double Work(DatasetProfile profile, IReadOnlyDictionary<string, double> hp, int? iterations) =>
        (Int(hp, "rank") ?? InitRank) * (profile.Task == MlTask.Regression ? RegressionEpochs(Real(hp, "l2Regularization") ?? 1) : 1);

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
            // SDCA weighs its penalty against the mean loss, L-BFGS against the summed loss: the same l2 means the same.
            () => context.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                L2Regularization = l2 / Math.Max(1, RowCount(train)), MaximumNumberOfIterations = MaxRegressionEpochs,
                ConvergenceTolerance = RegressionTolerance, NumberOfThreads = threads,
                LabelColumnName = label, FeatureColumnName = KernelColumn,
            }));
        return new(new TransformerChain<ITransformer>(map, linear.Predictor), null);
    }

    /// <summary>The most random features whose mapped training rows fit their share of a trial's memory (a power of two).</summary>
    private static int HighestRank(DatasetProfile profile)
    {
        var rank = MaxRank;
        while (rank > MinRank && MappedBytes(profile.FullSampleRows(), rank) > MappedMemoryShare * MemoryEstimate.Share(profile)) rank /= 2;
        return rank;
    }

    /// <summary>
    /// The epochs SDCA needs to converge: the mapped rows have unit norm on average, so with the penalty l2 against the
    /// summed loss each epoch shrinks the duality gap by about a factor 1 − l2 / (1 + l2); ~12 e-folds reach the tolerance.
    /// </summary>
    private static double RegressionEpochs(double l2) => Math.Min(MaxRegressionEpochs, 12 * (1 + l2) / l2);

    private static long RowCount(IDataView rows)
    {
        if (rows.GetRowCount() is { } known) return known;
        using var cursor = rows.GetRowCursor([]);
        long count = 0;
        while (cursor.MoveNext()) count++;
        return count;
    }

    private static double MappedBytes(int rows, int rank) => (double)rows * rank * sizeof(float);
}
