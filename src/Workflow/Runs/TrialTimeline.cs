using Serverless.AutoMl;

namespace Serverless.Workflow.Runs;

/// <summary>A finished trial on a run's timeline: seconds into the search, learner, score (when it succeeded) and status.</summary>
public sealed record TrialPoint(double Seconds, int Trial, string Learner, double? Score, TrialStatus Status);

/// <summary>
/// The per-trial timeline a run's progress carries for its charts. It travels in the orchestration's custom status,
/// which storage keeps in a table column, so it holds at most <see cref="MaxPoints"/> points: every trial that
/// improved the best score (so the best-score line stays exact) and an even sample of the others (the trials whose
/// id is a multiple of the smallest power of two that fits).
/// </summary>
public static class TrialTimeline
{
    public const int MaxPoints = 80;

    public static IReadOnlyList<TrialPoint> Append(IReadOnlyList<TrialPoint> timeline, IEnumerable<TrialResult> finished, double seconds, string metric)
    {
        List<TrialPoint> all = [.. timeline, .. finished.Select(t => new TrialPoint(
            Math.Round(seconds, 1), t.TrialId, t.Learner, t.Scored ? Math.Round(t.Score!.Value, 6) : null, t.Status))];
        var improved = Improvements(all, metric);
        var lastTrial = all.Count == 0 ? 0 : all.Max(p => p.Trial);
        for (var stride = 1; ; stride *= 2)
        {
            var kept = all.Where((point, i) => improved[i] || point.Trial % stride == 0).ToList();
            if (kept.Count <= MaxPoints)
                return kept;
            if (stride > lastTrial) // only improvements are left, more than fit: keep the latest
                return kept[^MaxPoints..];
        }
    }

    private static bool[] Improvements(List<TrialPoint> points, string metric)
    {
        var best = double.NegativeInfinity;
        return points.Select(p =>
        {
            if (p.Score is not { } score || MetricCatalog.Gain(metric, score) <= best) return false;
            best = MetricCatalog.Gain(metric, score);
            return true;
        }).ToArray();
    }
}
