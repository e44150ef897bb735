using System.Diagnostics;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl;

/// <summary>The AutoML engine: prepare a dataset, run trials on it, and finish into a model package.</summary>
public sealed class AutoMlEngine
{
    /// <summary>Share of the search's time (the budget less preparation) one trial may take at most.</summary>
    private const double TrialTimeoutShare = 0.25;
    private const double MinTrialTimeoutSeconds = 2;

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
    /// prepared data and profile.json into workDir. Throws InvalidDatasetException for unusable input. The budget's
    /// clock starts here: preparation, trials and Finish share it.
    /// </summary>
    public DatasetProfile Prepare(string csvPath, TrainingSpec spec, string workDir)
    {
        var startedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var profile = new DatasetPreparer(_options).Prepare(csvPath, spec, workDir, startedAt, clock);
        WorkDir.WriteJson(WorkDir.ProfilePath(workDir), profile);
        FoldCache.BuildFirst(workDir, profile, profile.ParallelTrials);
        var prepareSeconds = clock.Elapsed.TotalSeconds;
        profile = profile with
        {
            PrepareSeconds = Math.Round(prepareSeconds, 3),
            TrialTimeoutSeconds = Math.Round(Math.Max(MinTrialTimeoutSeconds, TrialTimeoutShare * (profile.BudgetSeconds - prepareSeconds)), 3),
        };
        WorkDir.WriteJson(WorkDir.ProfilePath(workDir), profile);
        MemoryRelease.Now();
        return profile;
    }

    /// <summary>
    /// Evaluates one configuration on workDir's prepared data and stores its out-of-fold predictions.
    /// Failures and timeouts come back as the result's Status and Error. Safe to run concurrently and to repeat.
    /// </summary>
    public TrialResult RunTrial(string workDir, TrialConfig config, CancellationToken ct = default)
    {
        var result = TrialRunner.Run(workDir, config, ct);
        MemoryRelease.IfLarge();
        return result;
    }

    /// <summary>
    /// Selects the best model or greedy ensemble over the trials' out-of-fold predictions, refits it (on every row the
    /// time left allows), computes permutation feature importance and writes the model package to modelPath. When no
    /// trial succeeded it trains the cheapest configurations itself, so valid data always gets a model.
    /// </summary>
    public ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, CancellationToken ct = default)
    {
        try
        {
            return Finisher.Finish(workDir, trials, modelPath, _options, ct);
        }
        finally
        {
            MemoryRelease.Now();
        }
    }
}
