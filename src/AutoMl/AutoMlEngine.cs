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
        if (_options.MemoryPerTrialBytes is { } perTrial)
            profile = profile with { MemoryBytes = perTrial * profile.ParallelTrials };
        // The folds are built on this machine, however many machines the trials will spread over.
        FoldCache.BuildAll(workDir, profile, Math.Min(profile.ParallelTrials, Environment.ProcessorCount));
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

    /// <summary>The profile Prepare wrote into workDir.</summary>
    public DatasetProfile ReadProfile(string workDir) => WorkDir.ReadProfile(workDir);

    /// <summary>Every step after Prepare reads the profile first; the other files it needs follow from it.</summary>
    public static WorkFile ProfileFile { get; } = new(WorkDir.ProfileFile);

    /// <summary>What Prepare leaves in the work directory: the profile, the prepared rows and labels, each fold featurized.</summary>
    public StepFiles PrepareFiles(DatasetProfile profile) =>
        new([], [ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), .. FoldFiles(profile)]);

    /// <summary>RunTrial reads the profile, the labels and the featurized folds, and writes each trial's predictions and info.</summary>
    public StepFiles TrialFiles(DatasetProfile profile, IEnumerable<TrialConfig> trials) =>
        new([ProfileFile, new(WorkDir.LabelsFile), .. FoldFiles(profile)], [.. trials.SelectMany(t => TrialOutputs(t.Id))]);

    /// <summary>Finish reads the prepared rows and the outputs of the trials it may ensemble; the model goes elsewhere.</summary>
    public StepFiles FinishFiles(DatasetProfile profile, IEnumerable<TrialResult> trials) =>
        new([ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), .. Finisher.Candidates(profile, trials).SelectMany(t => TrialOutputs(t.TrialId))], []);

    private static IEnumerable<WorkFile> FoldFiles(DatasetProfile profile) => Enumerable.Range(0, profile.Folds)
        .SelectMany(fold => new WorkFile[] { new(WorkDir.FoldTrainFile(fold)), new(WorkDir.FoldValidFile(fold)) });

    private static IEnumerable<WorkFile> TrialOutputs(int trialId) =>
        [new(WorkDir.OofFile(trialId), trialId), new(WorkDir.TrialInfoFile(trialId), trialId)];

    /// <summary>
    /// Selects the best model or greedy ensemble over the trials' out-of-fold predictions, refits it on all rows,
    /// computes permutation feature importance and writes the model package to modelPath.
    /// </summary>
    public ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, CancellationToken ct = default) =>
        Finisher.Finish(workDir, trials, modelPath, _options, ct);
}
