using Serverless.AutoMl.Search;

namespace Serverless.AutoMl;

/// <summary>
/// The one search loop, shared by the Durable orchestrator and the CLI. It is replay-safe: time comes only from
/// utcNow, randomness only from the profile's seed, and the only awaited work is the executor's batches.
/// </summary>
public static class SearchLoop
{
    /// <summary>Share of the budget after which no new batch starts; the rest is for running trials and Finish.</summary>
    public const double ProposeUntil = 0.75;
    /// <summary>Share of the budget by which proposed trials are expected to end.</summary>
    public const double TrialsEndBy = 0.85;

    public static async Task<IReadOnlyList<TrialResult>> RunAsync(
        DatasetProfile profile, ITrialExecutor executor, Func<DateTime> utcNow, Action<SearchProgress>? onRound = null)
    {
        var start = utcNow();
        var budget = Math.Max(1, profile.BudgetSeconds - profile.PrepareSeconds);
        var history = new List<TrialResult>();
        var nextId = 1;
        for (var round = 1; ; round++)
        {
            var elapsed = (utcNow() - start).TotalSeconds;
            if (elapsed >= ProposeUntil * budget) break;
            var batch = Tuner.Propose(profile, history, profile.ParallelTrials, nextId, TrialsEndBy * budget - elapsed);
            if (batch.Count == 0) break;
            nextId += batch.Count;
            var results = await executor.RunAsync(batch);
            history.AddRange(results.OrderBy(r => r.TrialId));
            onRound?.Invoke(Progress(profile, history, round, (utcNow() - start).TotalSeconds, budget));
        }
        return history;
    }

    private static SearchProgress Progress(DatasetProfile profile, List<TrialResult> history, int round, double elapsed, double budget)
    {
        var best = history.Where(t => t.Scored)
            .OrderByDescending(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ThenBy(t => t.TrialId).FirstOrDefault();
        return new SearchProgress(round, history.Count, history.Count(t => !t.Scored),
            best?.Score, best?.Learner, Math.Round(elapsed, 3), budget);
    }
}
