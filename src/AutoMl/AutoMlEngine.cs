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
        // The first folds are built on this machine, however many machines the trials will spread over.
        FoldCache.BuildFirst(workDir, profile, Math.Min(profile.ParallelTrials, Environment.ProcessorCount));
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

    /// <summary>The profile Prepare wrote into workDir.</summary>
    public DatasetProfile ReadProfile(string workDir) => WorkDir.ReadProfile(workDir);

    /// <summary>Every step after Prepare reads the profile first; the other files it needs follow from it.</summary>
    public static WorkFile ProfileFile { get; } = new(WorkDir.ProfileFile);

    /// <summary>What Prepare leaves in the work directory: the profile, the prepared rows and labels, the first sample's folds featurized.</summary>
    public StepFiles PrepareFiles(DatasetProfile profile) =>
        new([], [ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), .. FoldFiles(profile, profile.Samples()[0])]);

    /// <summary>
    /// RunTrial reads the profile, the labels and the featurized folds of its sample size, and writes each trial's
    /// predictions. Prepare stored the first sample's folds; a larger sample's folds are built from the prepared rows by
    /// the first trial on a worker that needs them, and stay on that worker (shipping them would cost about as much).
    /// </summary>
    public StepFiles TrialFiles(DatasetProfile profile, IEnumerable<TrialConfig> trials)
    {
        var first = profile.Samples()[0];
        var samples = trials.Select(t => DataChoices.SampleRowsOf(profile, t.Params)).Distinct().ToList();
        List<WorkFile> reads = [ProfileFile, new(WorkDir.LabelsFile)];
        if (samples.Contains(first)) reads.AddRange(FoldFiles(profile, first));
        if (samples.Any(s => s != first)) reads.Add(new(WorkDir.DataFile));
        return new(reads, [.. trials.Select(t => TrialOutput(t.Id))]);
    }

    /// <summary>Finish reads the prepared rows and the outputs of the trials it may ensemble; the model goes elsewhere.</summary>
    public StepFiles FinishFiles(DatasetProfile profile, IEnumerable<TrialResult> trials) =>
        new([ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), .. Finisher.Candidates(profile, trials).Select(t => TrialOutput(t.TrialId))], []);

    /// <summary>Every fold's featurized train and valid rows of one sample size, and how long each took to build.</summary>
    private static IEnumerable<WorkFile> FoldFiles(DatasetProfile profile, int sampleRows) => Enumerable.Range(0, profile.Folds)
        .SelectMany(fold => new WorkFile[]
        {
            new(WorkDir.FoldTrainFile(fold, sampleRows)), new(WorkDir.FoldValidFile(fold, sampleRows)), new(WorkDir.FoldBuildFile(fold, sampleRows)),
        });

    private static WorkFile TrialOutput(int trialId) => new(WorkDir.OofFile(trialId), trialId);

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
