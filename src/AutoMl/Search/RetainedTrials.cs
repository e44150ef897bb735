using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// Which trials a long search keeps, so that what it holds, checkpoints and hands the tuner does not grow with the trials
/// it ran (a 24-hour budget on a few hundred rows is millions of trials). Up to <see cref="Cap"/> trials nothing is
/// dropped, so an ordinary run proposes exactly as before; past it the history shrinks to the trials that can still
/// matter: the most recent ones (every learner's current local search, the time spent since its incumbent, the latest
/// measured cost of each sample size, the recent configurations the tuner must not repeat), the best ones (the ensemble's
/// and Finish's candidates, every learner's incumbents), each learner's best trial on each sample size and its fastest,
/// every proven default and every portfolio configuration tried (Finish compares with the defaults; the tuner must not
/// play its portfolio again), and every trial of a learner that never scored (it decides whether the learner is dead).
/// A pure function of the profile and the history, so a replayed orchestration keeps the same trials.
/// </summary>
internal static class RetainedTrials
{
    /// <summary>The history is trimmed when it holds more than this many trials...</summary>
    public const int Cap = 4_000;
    /// <summary>...to the most recent this many...</summary>
    public const int Recent = 1_500;
    /// <summary>...and the best this many (Finish reads at most its pool of 64 besides the defaults), plus the kept trials above.</summary>
    public const int Best = 128;

    /// <summary>The history unchanged up to the cap, else the trials kept (in their order) and the ids of those dropped.</summary>
    public static (List<TrialResult> Kept, List<int> Dropped) Trim(DatasetProfile profile, List<TrialResult> history)
    {
        if (history.Count <= Cap) return (history, []);
        var keep = new HashSet<int>(history.OrderByDescending(t => t.TrialId).Take(Recent).Select(t => t.TrialId));
        var scored = history.Where(t => t.Scored).ToList();
        double Gain(TrialResult t) => MetricCatalog.Gain(profile.Metric, t.Score!.Value);
        keep.UnionWith(scored.OrderByDescending(Gain).ThenBy(t => t.TrialId).Take(Best).Select(t => t.TrialId));
        keep.UnionWith(scored.GroupBy(t => (t.Learner, Rows: DataChoices.SampleRowsOf(profile, t.Params)))
            .Select(g => g.OrderByDescending(Gain).ThenBy(t => t.TrialId).First().TrialId));
        if (scored.MinBy(t => t.Seconds / DataChoices.SampleRowsOf(profile, t.Params)) is { } fastest) keep.Add(fastest.TrialId);
        var succeeded = scored.Select(t => t.Learner).ToHashSet();
        var portfolio = Portfolios(profile);
        keep.UnionWith(history.Where(t => !succeeded.Contains(t.Learner) || LearnerCatalog.IsDefault(profile, t)
            || (portfolio.TryGetValue(t.Learner, out var configs) && configs.Any(c => LearnerCatalog.SameConfig(c, t.Params))))
            .Select(t => t.TrialId));
        return ([.. history.Where(t => keep.Contains(t.TrialId))], [.. history.Where(t => !keep.Contains(t.TrialId)).Select(t => t.TrialId)]);
    }

    /// <summary>Each learner's portfolio as the tuner proposes it: on the smallest sample.</summary>
    private static Dictionary<string, List<IReadOnlyDictionary<string, double>>> Portfolios(DatasetProfile profile) =>
        LearnerCatalog.All.Where(l => l.Supports(profile)).ToDictionary(l => l.Name,
            l => l.Portfolio(profile).Select(hp => LearnerCatalog.OnSample(profile, hp, profile.Samples()[0])).ToList());
}
