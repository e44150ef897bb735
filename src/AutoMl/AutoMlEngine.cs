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
    internal const string OpenMpWaitPolicy = "OMP_WAIT_POLICY";

    private readonly AutoMlOptions _options;

    static AutoMlEngine()
    {
        // LightGBM's OpenMP threads otherwise spin while idle and steal the cores parallel trials run on.
        // It must be set before the native library loads.
        NativeEnvironment.SetDefault(OpenMpWaitPolicy, "PASSIVE");
    }

    public AutoMlEngine(AutoMlOptions? options = null) => _options = options ?? new AutoMlOptions();

    /// <summary>
    /// Reads the CSV/TSV at csvPath, infers its layout, label, task and metric, validates it and writes the
    /// prepared data and profile.json into workDir. Throws InvalidDatasetException for unusable input. The budget's
    /// clock starts here: preparation, trials and Finish share it.
    /// </summary>
    public DatasetProfile Prepare(string csvPath, TrainingSpec spec, string workDir) => Prepare([csvPath], spec, workDir);

    /// <summary>
    /// Prepares several files as one dataset: each is read on its own (separator, encoding, header), all must have the
    /// same columns (by name, in any order and case; InvalidDatasetException naming the file and the columns otherwise),
    /// and their rows are streamed as one table, never copied into one file. Every prepared row remembers its file (its
    /// position in paths) and record, for <see cref="ReadFinalPredictions"/>. The budget's clock starts at
    /// <paramref name="budgetStartedAt"/> when the caller spent time on the run before (a host downloading the files,
    /// a run waiting for a worker), else now.
    /// </summary>
    public DatasetProfile Prepare(IReadOnlyList<string> paths, TrainingSpec spec, string workDir, DateTime? budgetStartedAt = null)
    {
        var startedAt = budgetStartedAt ?? DateTime.UtcNow;
        var spentBefore = Math.Max(0, (DateTime.UtcNow - startedAt).TotalSeconds);
        var clock = Stopwatch.StartNew();
        var profile = new DatasetPreparer(_options).Prepare(paths, spec, workDir, startedAt, clock, spentBefore);
        WorkDir.WriteJson(WorkDir.ProfilePath(workDir), profile);
        // The first folds are built on this machine, however many machines the trials will spread over.
        FoldCache.BuildFirst(workDir, profile, Math.Min(profile.ParallelTrials, Environment.ProcessorCount));
        var prepareSeconds = spentBefore + clock.Elapsed.TotalSeconds;
        profile = profile with
        {
            PrepareSeconds = Math.Round(prepareSeconds, 3),
            FeaturizeSecondsPerRow = FoldCache.SecondsPerRow(workDir, profile),
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

    /// <summary>Deletes what these trials wrote (their out-of-fold predictions): the search no longer keeps them.</summary>
    public static void ForgetTrials(string workDir, IEnumerable<int> trialIds)
    {
        foreach (var id in trialIds)
            File.Delete(WorkDir.OofPath(workDir, id));
    }

    /// <summary>The profile Prepare wrote into workDir.</summary>
    public DatasetProfile ReadProfile(string workDir) => WorkDir.ReadProfile(workDir);

    /// <summary>Every step after Prepare reads the profile first; the other files it needs follow from it.</summary>
    public static WorkFile ProfileFile { get; } = new(WorkDir.ProfileFile);

    /// <summary>
    /// What Prepare leaves in the work directory: the profile, the prepared rows, labels and sources, the first sample's
    /// folds featurized.
    /// </summary>
    public StepFiles PrepareFiles(DatasetProfile profile) =>
        new([], [ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), new(WorkDir.SourcesFile), .. FoldFiles(profile, profile.Samples()[0])]);

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

    /// <summary>
    /// Finish reads the prepared rows, their sources and the outputs of the trials it may ensemble, and writes the final
    /// model's out-of-fold predictions (<see cref="ReadFinalPredictions"/>); the model goes elsewhere.
    /// </summary>
    public StepFiles FinishFiles(DatasetProfile profile, IEnumerable<TrialResult> trials) =>
        new([ProfileFile, new(WorkDir.DataFile), new(WorkDir.LabelsFile), new(WorkDir.SourcesFile), .. Finisher.Candidates(profile, trials).Select(t => TrialOutput(t.TrialId))],
            [new(WorkDir.FinalOofFile)]);

    /// <summary>The out-of-fold predictions of the model Finish chose, with where each row came from.</summary>
    public OutOfFoldPredictions ReadFinalPredictions(string workDir) => OutOfFoldPredictions.Read(workDir);

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
    /// <paramref name="counts"/>: what the search ran in all, when the trials are the part a long search kept
    /// (<see cref="SearchState.Counts"/>); the card counts them.
    /// </summary>
    public ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, CancellationToken ct = default, TrialCounts? counts = null)
    {
        try
        {
            return Finisher.Finish(workDir, trials, modelPath, _options, ct, counts);
        }
        finally
        {
            MemoryRelease.Now();
        }
    }
}
