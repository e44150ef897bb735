using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// What Finish's refits cost and on how many rows Finish refits: the one plan Finish follows and the search sizes
/// Finish's reserve by (<see cref="Search.FinishReserve"/>), so the reserve expects the rows Finish will refit.
/// A refit's time is its trial's measured fit time scaled to the rows and rounds the refit runs.
/// </summary>
internal static class RefitPlan
{
    /// <summary>
    /// Members permutation importance is planned for: the lead and two more (it scores every member). Their refits are
    /// not all planned: the reserve plans the lead's, and Finish cuts a greedy ensemble down until its refits fit.
    /// </summary>
    private const int PlannedMemberCount = 3;
    /// <summary>Early stopping saw fewer rows than the refit; the refit affords a few more rounds.</summary>
    private const double IterationsFactor = 1.1;
    /// <summary>How the rounds an early-stopped learner needs grow with its rows (doubling at most).</summary>
    private const double RoundsGrowthExponent = 0.2;
    private const double MaxRoundsGrowth = 2;

    /// <summary>
    /// The refit's rounds over the rounds its trial kept: a few more, growing with the rows, for a learner that stopped
    /// early on fewer rows; the configured rounds otherwise.
    /// </summary>
    public static double RoundsFactor(DatasetProfile profile, Learner learner, int trainedRows, int rows) =>
        learner.StopsEarly(profile)
            ? IterationsFactor * Math.Clamp(Math.Pow((double)rows / Math.Max(1, trainedRows), RoundsGrowthExponent), 1, MaxRoundsGrowth)
            : 1;

    /// <summary>
    /// Seconds to refit on rows rows a configuration whose trial fitted in fitSeconds (all folds): one fit instead of one
    /// per fold, on rows rows instead of the rows each fold's fit read (its training rows, and the validation rows a
    /// learner that stops early scores every round), running the refit's rounds. Refits run on one thread like trials:
    /// with several, OpenMP's barriers crawl on a busy machine.
    /// </summary>
    public static double Seconds(DatasetProfile profile, Learner learner, IReadOnlyDictionary<string, double> hp, double fitSeconds, int rows)
    {
        var trainedRows = DataChoices.SampleRowsOf(profile, hp);
        var fitRows = trainedRows + (learner.StopsEarly(profile) ? profile.EvaluatedRows() / Math.Max(1, profile.Folds) : 0);
        return fitSeconds * RoundsFactor(profile, learner, trainedRows, rows) * rows / Math.Max(1, fitRows) / Math.Max(1, profile.Folds);
    }

    /// <summary>A trial's refit on rows rows.</summary>
    public static double Seconds(DatasetProfile profile, TrialResult trial, int rows) =>
        Seconds(profile, LearnerCatalog.Get(trial.Learner), trial.Params, trial.FitSeconds ?? trial.Seconds, rows);

    /// <summary>Featurizing rows rows once and refitting every member on them.</summary>
    public static double Seconds(DatasetProfile profile, IReadOnlyList<TrialResult> members, int rows, double featurizeSecondsPerRow) =>
        featurizeSecondsPerRow * rows + members.Sum(t => Seconds(profile, t, rows));

    /// <summary>The best scored trials, best first: the lead (the refit the reserve plans) and the members importance is planned for.</summary>
    public static List<TrialResult> PlannedMembers(DatasetProfile profile, IEnumerable<TrialResult> history) =>
        [.. history.Where(t => t.Scored)
            .OrderByDescending(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ThenBy(t => t.TrialId)
            .Take(PlannedMemberCount)];

    /// <summary>The fewest rows Finish refits a trial on: as many as it trained on in each fold (a stratified prefix).</summary>
    public static int FloorRows(DatasetProfile profile, TrialResult trial) => DataChoices.SampleRowsOf(profile, trial.Params);

    /// <summary>
    /// The rows Finish refits the members on: all prepared rows when their refits fit in seconds; else the most that do
    /// (the cost grows with the rows, so a bisection finds them), but not fewer than the members trained on in the search.
    /// </summary>
    public static int Rows(DatasetProfile profile, IReadOnlyList<TrialResult> members, double seconds, double featurizeSecondsPerRow)
    {
        var floor = Math.Min(profile.Rows, members.Select(t => FloorRows(profile, t)).DefaultIfEmpty(profile.Rows).Max());
        bool Fits(int rows) => Seconds(profile, members, rows, featurizeSecondsPerRow) <= seconds;
        if (Fits(profile.Rows)) return profile.Rows;
        var (fits, tooMany) = (floor, profile.Rows);
        while (tooMany - fits > 1)
        {
            var middle = fits + (tooMany - fits) / 2;
            (fits, tooMany) = Fits(middle) ? (middle, tooMany) : (fits, middle);
        }
        return fits;
    }
}
