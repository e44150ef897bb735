using Serverless.AutoMl;

namespace Serverless.Workflow.Training;

public static class Leaderboard
{
    /// <summary>Successful trials best first, then the failed ones (kept so a run's record shows what went wrong).</summary>
    public static IReadOnlyList<TrialResult> Rank(IReadOnlyList<TrialResult> trials, string metric)
    {
        var higherIsBetter = MetricCatalog.HigherIsBetter(metric);
        var succeeded = trials.Where(t => t.Status == TrialStatus.Succeeded && t.Score is not null);
        var ranked = higherIsBetter ? succeeded.OrderByDescending(t => t.Score) : succeeded.OrderBy(t => t.Score);
        return [.. ranked.ThenBy(t => t.TrialId), .. trials.Where(t => t.Status != TrialStatus.Succeeded || t.Score is null)];
    }
}
