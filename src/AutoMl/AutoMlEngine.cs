using System.Diagnostics;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl;

/// <summary>The AutoML engine: prepare a dataset, run trials on it, and finish into a model package.</summary>
public sealed class AutoMlEngine
{
    private readonly AutoMlOptions _options;

    static AutoMlEngine()
    {
        // LightGBM's OpenMP threads otherwise spin while idle and steal the cores parallel trials run on.
        // It must be set before the native library loads.
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
    }

    public AutoMlEngine(AutoMlOptions? options = null) => _options = options ?? new AutoMlOptions();

    /// <summary>
    /// Reads the CSV/TSV at csvPath, infers its layout, label, task and metric, validates it and writes the
    /// prepared data and profile.json into workDir. Throws InvalidDatasetException for unusable input.
    /// </summary>
    public DatasetProfile Prepare(string csvPath, TrainingSpec spec, string workDir)
    {
        var clock = Stopwatch.StartNew();
        var profile = new DatasetPreparer(_options).Prepare(csvPath, spec, workDir);
        FoldCache.BuildAll(workDir, profile, profile.ParallelTrials);
        profile = profile with { PrepareSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3) };
        WorkDir.WriteJson(WorkDir.ProfilePath(workDir), profile);
        return profile;
    }

    /// <summary>
    /// Cross-validates one configuration on workDir's prepared data and stores its out-of-fold predictions.
    /// Failures and timeouts come back as the result's Status and Error. Safe to run concurrently and to repeat.
    /// </summary>
    public TrialResult RunTrial(string workDir, TrialConfig config, CancellationToken ct = default) =>
        TrialRunner.Run(workDir, config, ct);

    /// <summary>
    /// Selects the best model or greedy ensemble over the trials' out-of-fold predictions, refits it on all rows,
    /// computes permutation feature importance and writes the model package to modelPath.
    /// </summary>
    public ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, CancellationToken ct = default) =>
        Finisher.Finish(workDir, trials, modelPath, _options, ct);
}
