using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// The seconds the search leaves Finish, sized from what the run measured (a pure function of the profile and the
/// history, so a durable orchestrator replays it) and from the plan Finish follows (<see cref="RefitPlan"/>): on the rows
/// Finish will refit (every prepared row when the refits fit in the largest reserve, else the most that do, as Finish
/// itself caps them), featurizing them once (as fast per row as Prepare built the first folds) and refitting the best
/// trials on them (their measured fit times scaled to those rows and the refit's rounds), plus a fixed cost for reading
/// the data, choosing the members and writing the package, all times a safety margin; plus permutation importance (from
/// the trials' measured scoring speed, at most its planned slice) and the end margin Finish keeps.
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
    /// <summary>
    /// Members planned for: the lead and two more. A greedy ensemble that would take longer to refit is cut down by
    /// Finish (it halves the candidates until the refits fit), so more only costs search time.
    /// </summary>
    private const int PlannedMembers = 3;
    /// <summary>Reading the prepared rows and the trials' predictions, choosing the members, writing the package (the
    /// quickest Finish measured at 60 s took 0.4-0.9 s in all, importance included).</summary>
    private const double FixedSeconds = 0.5;
    /// <summary>
    /// The estimate's margin: a refit runs more rounds on more rows than its fold, one busy core can be slower than when
    /// the trial was measured. The refit estimate itself is an upper bound (a LightGBM's estimated 1.9 s took about 1 s).
    /// </summary>
    private const double Safety = 1.25;

    /// <summary>Seconds to leave Finish after the last trial ends.</summary>
    public static double Seconds(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var searchSeconds = SearchSeconds(profile);
        if (!history.Any(t => t.Scored)) return UnmeasuredShare * searchSeconds;
        return Math.Clamp(Safety * EstimatedWork(profile, history) + ImportanceSeconds(profile, history) + Finisher.EndMarginOf(profile),
            MinShare * searchSeconds, MaxShare * searchSeconds);
    }

    /// <summary>What Finish is expected to take besides importance and its end margin, without the safety margin.</summary>
    public static double EstimatedWork(DatasetProfile profile, IReadOnlyList<TrialResult> history) =>
        FixedSeconds + FeaturizeSeconds(profile, history) + RefitSeconds(profile, history);

    /// <summary>
    /// The rows Finish is planned to refit on: all prepared rows when the planned members' refits fit in the largest
    /// reserve, else the most that do (<see cref="RefitPlan.Rows"/>, the rule Finish follows with the time it has).
    /// </summary>
    public static int PlannedRows(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var members = PlannedMembersOf(profile, history);
        var largest = MaxShare * SearchSeconds(profile) - ImportanceSeconds(profile, history) - Finisher.EndMarginOf(profile);
        return RefitPlan.Rows(profile, members, largest / Safety - FixedSeconds, profile.FeaturizeSecondsPerRow);
    }

    /// <summary>Featurizing the planned rows once, as fast per row as Prepare featurized the first folds.</summary>
    public static double FeaturizeSeconds(DatasetProfile profile, IReadOnlyList<TrialResult> history) =>
        profile.FeaturizeSecondsPerRow * PlannedRows(profile, history);

    /// <summary>Refitting the best trials (the members planned for) on the planned rows.</summary>
    public static double RefitSeconds(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var rows = PlannedRows(profile, history);
        return PlannedMembersOf(profile, history).Sum(t => RefitPlan.Seconds(profile, t, rows));
    }

    /// <summary>
    /// Permutation importance: one scoring of its sample rows per column (and the baseline) by every member, at the
    /// per-row speed the members' trials read and scored their validation rows (an upper bound: it includes reading),
    /// at most the share Finish plans for it.
    /// </summary>
    public static double ImportanceSeconds(DatasetProfile profile, IReadOnlyList<TrialResult> history)
    {
        var members = PlannedMembersOf(profile, history);
        if (members.Count == 0) return 0;
        var columns = profile.Schema.Columns.Count;
        var rows = PermutationImportance.SampleRows(profile.Rows, columns, AutoMlOptions.DefaultImportanceSampleRows, members.Count);
        var secondsPerRow = members.Max(t => Math.Max(0, t.Seconds - (t.FitSeconds ?? t.Seconds)) / Math.Max(1, profile.EvaluatedRows()));
        return Math.Min(Finisher.ImportanceShare * profile.BudgetSeconds, (double)rows * (columns + 1) * members.Count * secondsPerRow);
    }

    /// <summary>The best scored trials, best first: the members Finish's refits are planned for.</summary>
    private static List<TrialResult> PlannedMembersOf(DatasetProfile profile, IReadOnlyList<TrialResult> history) =>
        [.. history.Where(t => t.Scored)
            .OrderByDescending(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ThenBy(t => t.TrialId)
            .Take(PlannedMembers)];

    /// <summary>The search's time: the budget less preparation.</summary>
    public static double SearchSeconds(DatasetProfile profile) => Math.Max(1, profile.BudgetSeconds - profile.PrepareSeconds);
}
