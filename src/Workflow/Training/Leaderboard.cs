using Serverless.AutoMl;

namespace Serverless.Workflow.Training;

public static class Leaderboard
{
    /// <summary>
    /// Successful trials best first, in the engine's own order (MetricCatalog.Rank), then the failed ones,
    /// which stay on the record so a run shows what went wrong.
    /// </summary>
    public static IReadOnlyList<TrialResult> Rank(IReadOnlyList<TrialResult> trials, string metric)
    {
        var succeeded = trials.Where(t => t.Status == TrialStatus.Succeeded && t.Metrics.ContainsKey(metric));
        return
        [
            .. succeeded.OrderByDescending(t => MetricCatalog.Rank(metric, t.Metrics)).ThenBy(t => t.TrialId),
            .. trials.Where(t => t.Status != TrialStatus.Succeeded || !t.Metrics.ContainsKey(metric)),
        ];
    }
}
