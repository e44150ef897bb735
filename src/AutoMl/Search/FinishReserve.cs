using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// The seconds the search leaves Finish, sized from what the run measured (a pure function of the profile and the
/// history, so a durable orchestrator replays it) and from the plan Finish follows (<see cref="RefitPlan"/>). Only the
/// lead's refit is planned: Finish must refit it, while further ensemble members join only when their refits fit in
/// the time Finish has (it halves the candidates until they do), so reserving for them only cost search time (FLAML
/// likewise plans only the best configuration's retraining). The lead is refit on the rows Finish will refit (every
/// prepared row when that fits in the largest reserve, else the most that do, as Finish itself caps them), featurizing
/// them once (as fast per row as Prepare built the first folds), plus a fixed cost for reading the data, choosing the
/// members and writing the package. The safety margin covers only what Finish cannot shrink, the lead's refit on the
/// rows it trained on; more rows Finish refits only when they fit. Plus permutation importance (from the trials'
/// measured scoring speed, at most its planned slice) and the end margin Finish keeps.
/// New trials start only while their expected cost ends before the budget less this reserve.
/// </summary>
public static class FinishReserve
{
    /// <summary>Before any trial has a score nothing is measured: the search leaves this share of its time.</summary>
    public const double UnmeasuredShare = 0.15;
    /// <summary>
    /// At least this share of the search's time: a trial may run past its expected end by the tuner's timeout grace,
    /// and a smaller reserve would leave Finish only the tolerated overrun after such a trial.
    /// </summary>
    public const double MinShare = Tuner.TimeoutGrace;
    /// <summary>At most this share: beyond it Finish refits on fewer rows rather than the search stopping early (the
    /// reserve then plans the rows that fit in it).</summary>
    public const double MaxShare = 0.4;
    /// <summary>Reading the prepared rows and the trials' predictions, choosing the members, writing the package (the
    /// quickest Finish measured at 60 s took 0.4-0.9 s in all, importance included).</summary>
    private const double FixedSeconds = 0.5;
    /// <summary>
    /// The margin on what Finish cannot shrink: one busy core can be slower than when the trial was measured. The refit
    /// estimate itself is about right or an upper bound (on the 1M-row benchmark a LightGBM refit estimated at 8.9 s on
    /// 125,000 rows took 8.5 s, at 108 s on every row 85 s; at 60 s on the suite the heavier refits took 0.65-0.87 of
    /// their estimate); rows beyond the lead's training rows need none, Finish refits on them only when they fit.
    /// </summary>
    internal const double Safety = 1.25;

    /// <summary>Seconds to leave Finish after the last trial ends.</summary>
    public static double Seconds(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var searchSeconds = SearchSeconds(profile);
        if (!history.Any(t => t.Scored)) return UnmeasuredShare * searchSeconds;
        var estimate = Estimate(profile, history);
        return Math.Clamp(Math.Max(Safety * estimate.FloorWork, estimate.Work) + estimate.ImportanceSeconds + Finisher.EndMarginOf(profile),
            MinShare * searchSeconds, MaxShare * searchSeconds);
    }

    /// <summary>
    /// What Finish is expected to do, planned once from the best scored trial, its lead: the rows it refits on (all
    /// prepared rows when the lead's refit fits in the largest reserve, else the most that do: <see cref="RefitPlan.Rows"/>,
    /// the rule Finish follows with the time it has), featurizing them (as fast per row as Prepare featurized the first
    /// folds), refitting the lead on them, the same on the fewest rows Finish refits it on, and permutation importance
    /// (for the members Finish may keep, at most the share Finish plans for it).
    /// </summary>
    public static FinishEstimate Estimate(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var members = RefitPlan.PlannedMembers(profile, history);
        var importance = Math.Min(Finisher.ImportanceShare * profile.BudgetSeconds,
            PermutationImportance.EstimatedSeconds(profile, members, AutoMlOptions.DefaultImportanceSampleRows));
        var lead = members.Take(1).ToList();
        var largest = MaxShare * SearchSeconds(profile) - importance - Finisher.EndMarginOf(profile);
        var rows = RefitPlan.Rows(profile, lead, largest - FixedSeconds, profile.FeaturizeSecondsPerRow);
        var floorRows = Math.Min(rows, lead.Select(t => RefitPlan.FloorRows(profile, t)).DefaultIfEmpty(rows).Single());
        return new FinishEstimate(rows, profile.FeaturizeSecondsPerRow * rows, lead.Sum(t => RefitPlan.Seconds(profile, t, rows)), importance,
            FixedSeconds + RefitPlan.Seconds(profile, lead, floorRows, profile.FeaturizeSecondsPerRow));
    }

    /// <summary>
    /// Finish's plan: the rows it refits the lead on and the seconds of each part, before the safety margin, and what
    /// Finish cannot do with less (FloorWork: the lead refit on the rows it trained on).
    /// </summary>
    public sealed record FinishEstimate(int Rows, double FeaturizeSeconds, double RefitSeconds, double ImportanceSeconds, double FloorWork)
    {
        /// <summary>What Finish is expected to take besides importance and its end margin.</summary>
        public double Work => FixedSeconds + FeaturizeSeconds + RefitSeconds;
    }

    /// <summary>The search's time: the budget less preparation.</summary>
    public static double SearchSeconds(DatasetProfile profile) => Math.Max(1, profile.BudgetSeconds - profile.PrepareSeconds);
}
