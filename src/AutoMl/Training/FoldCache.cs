using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Featurized train and validation rows of each fold and training sample size, computed once per work directory and
/// shared by all trials: featurization costs several times more than a small LightGBM fit, and it does not depend on
/// the trial. The featurizer is fitted on the sample's training rows only.
/// </summary>
internal sealed record FoldBuild(double Seconds, int Rows);

internal static class FoldCache
{
    private static readonly ConcurrentDictionary<string, object> Building = new();

    public static (IDataView Train, IDataView Valid) Get(string workDir, MLContext context, DatasetProfile profile, int fold, int sampleRows,
        Func<PreparedTable> table)
    {
        var train = WorkDir.FoldTrainPath(workDir, fold, sampleRows);
        var valid = WorkDir.FoldValidPath(workDir, fold, sampleRows);
        // One builder per fold in this process; across processes the atomic writes make a duplicate build harmless.
        lock (Building.GetOrAdd(valid, _ => new object()))
        {
            if (!File.Exists(valid)) Build(workDir, context, profile, table(), fold, sampleRows);
        }
        return (context.Data.LoadFromBinary(train), context.Data.LoadFromBinary(valid));
    }

    /// <summary>Builds every fold of the first sample size (Prepare does, in parallel), so the first trials spend their time learning.</summary>
    public static void BuildFirst(string workDir, DatasetProfile profile, int parallelism)
    {
        var table = new Lazy<PreparedTable>(() => PreparedTable.Read(WorkDir.DataPath(workDir)));
        Parallel.For(0, profile.Folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, fold =>
            Get(workDir, new MLContext(profile.Seed), profile, fold, profile.Samples()[0], () => table.Value));
    }

    /// <summary>A fold's rows: the first sampleRows training rows (a stratified prefix) and every validation row.</summary>
    public static (int[] Train, int[] Valid) Rows(PreparedTable table, int fold, int sampleRows)
    {
        var train = new List<int>(Math.Min(sampleRows, table.Rows));
        var valid = new List<int>();
        for (var r = 0; r < table.Rows; r++)
        {
            if (table.Folds[r] == fold) valid.Add(r);
            else if (train.Count < sampleRows) train.Add(r);
        }
        return ([.. train], [.. valid]);
    }

    private static void Build(string workDir, MLContext context, DatasetProfile profile, PreparedTable table, int fold, int sampleRows)
    {
        var clock = Stopwatch.StartNew();
        var (trainRows, validRows) = Rows(table, fold, sampleRows);
        var train = new TableView(profile, table, trainRows);
        var featurizer = FeaturePipeline.Build(context, profile, table, trainRows).Fit(train);
        Save(context, profile, featurizer.Transform(train), WorkDir.FoldTrainPath(workDir, fold, sampleRows));
        Save(context, profile, featurizer.Transform(new TableView(profile, table, validRows)), WorkDir.FoldValidPath(workDir, fold, sampleRows));
        WorkDir.WriteJson(WorkDir.FoldBuildPath(workDir, fold, sampleRows), new FoldBuild(clock.Elapsed.TotalSeconds, trainRows.Length + validRows.Length));
    }

    /// <summary>
    /// Seconds featurizing a row took (fit, transform and writing), in the builds of the most rows (the slowest of them):
    /// Finish plans the refit's featurization with it. A build of few rows is no guide to many: its fixed costs
    /// (fitting the featurizer's dictionaries, the first run's compilation) weigh on each row far more.
    /// </summary>
    public static double SecondsPerRow(string workDir, DatasetProfile profile)
    {
        var builds = profile.Samples().SelectMany(rows => Enumerable.Range(0, profile.Folds).Select(fold => WorkDir.FoldBuildPath(workDir, fold, rows)))
            .Where(File.Exists).Select(WorkDir.ReadJson<FoldBuild>).OfType<FoldBuild>().ToList();
        if (builds.Count == 0) return UnmeasuredSecondsPerRow;
        var most = builds.Max(b => b.Rows);
        return builds.Where(b => b.Rows == most).Max(b => b.Seconds / Math.Max(1, b.Rows));
    }

    private const double UnmeasuredSecondsPerRow = 20e-6;

    private static void Save(MLContext context, DatasetProfile profile, IDataView featurized, string path) =>
        WorkDir.WriteAtomically(path, stream => context.Data.SaveAsBinary(FeaturePipeline.Selected(context, profile, featurized), stream, keepHidden: false));
}
