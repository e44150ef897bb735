using System.Collections.Concurrent;
using Microsoft.ML;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Featurized train and validation rows of each fold, computed once per work directory and shared by all trials:
/// featurization costs several times more than a LightGBM fit, and it does not depend on the trial.
/// The featurizer is still fitted on the fold's training rows only.
/// </summary>
internal static class FoldCache
{
    private static readonly ConcurrentDictionary<string, object> Building = new();

    public static (IDataView Train, IDataView Valid) Get(string workDir, MLContext context, int fold, Func<PreparedData> load)
    {
        var train = WorkDir.FoldTrainPath(workDir, fold);
        var valid = WorkDir.FoldValidPath(workDir, fold);
        // One builder per fold in this process; across processes the atomic writes make a duplicate build harmless.
        lock (Building.GetOrAdd(valid, _ => new object()))
        {
            if (!File.Exists(valid)) Build(load(), fold, train, valid);
        }
        return (context.Data.LoadFromBinary(train), context.Data.LoadFromBinary(valid));
    }

    /// <summary>Builds every fold up front (Prepare does, in parallel), so trials spend their time on learning.</summary>
    public static void BuildAll(string workDir, DatasetProfile profile, int parallelism)
    {
        var folds = profile.Folds;
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, fold =>
        {
            var context = new MLContext(profile.Seed);
            Get(workDir, context, fold, () => PreparedData.Load(workDir, context));
        });
    }

    private static void Build(PreparedData data, int fold, string trainPath, string validPath)
    {
        var context = data.Context;
        var (filtered, valid) = data.Split(fold);
        // Fitting a chain passes over the rows once per step; a cache saves re-filtering them each time.
        var train = context.Data.Cache(filtered);
        var featurizer = FeaturePipeline.Build(context, data.Profile).Fit(train);
        Save(context, Selected(context, featurizer.Transform(train)), trainPath);
        Save(context, Selected(context, featurizer.Transform(valid)), validPath);
    }

    /// <summary>Only what learners and out-of-fold bookkeeping read.</summary>
    private static IDataView Selected(MLContext context, IDataView featurized) => context.Transforms
        .SelectColumns(FeaturePipeline.FeaturesColumn, PreparedData.LabelColumn, PreparedData.RowColumn)
        .Fit(featurized).Transform(featurized);

    private static void Save(MLContext context, IDataView view, string path) =>
        WorkDir.WriteAtomically(path, stream => context.Data.SaveAsBinary(view, stream, keepHidden: false));
}
