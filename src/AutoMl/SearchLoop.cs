using Serverless.AutoMl.Search;

namespace Serverless.AutoMl;

/// <summary>
/// The one search loop, shared by the Durable orchestrator and the CLI. It keeps every slot busy: whenever a slot's
/// trials end, the tuner sees their results (and what is still running) and proposes that slot's next work, so no
/// slot waits for the slowest trial of a round. It is replay-safe: time comes only from utcNow, randomness only from
/// the profile's seed, and the only awaited work is the executor's.
/// </summary>
public static class SearchLoop
{
    /// <summary>Share of the budget after which no new trial starts; the rest is for running trials and Finish.</summary>
    public const double ProposeUntil = 0.75;
    /// <summary>Share of the budget by which proposed trials are expected to end.</summary>
    public const double TrialsEndBy = 0.85;

    public static async Task<IReadOnlyList<TrialResult>> RunAsync(
        DatasetProfile profile, ITrialExecutor executor, Func<DateTime> utcNow, Action<SearchProgress>? onProgress = null)
    {
        var start = utcNow();
        var budget = Math.Max(1, profile.BudgetSeconds - profile.PrepareSeconds);
        double Elapsed() => (utcNow() - start).TotalSeconds;
        var history = new List<TrialResult>();
        var running = new List<(Task<IReadOnlyList<TrialResult>> Work, IReadOnlyList<TrialConfig> Configs)>();
        var nextId = 1;
        var completed = 0;
        while (true)
        {
            while (running.Count < Math.Max(1, profile.ParallelTrials) && Elapsed() < ProposeUntil * budget)
            {
                var pending = running.SelectMany(r => r.Configs).ToList();
                var proposals = Tuner.Propose(profile, history, pending, count: 1, nextId, TrialsEndBy * budget - Elapsed());
                if (proposals.Count == 0) break;
                nextId += proposals.Count;
                running.Add((executor.RunAsync(proposals), proposals));
            }
            if (running.Count == 0) break;
            var finished = await Task.WhenAny(running.Select(r => r.Work));
            running.RemoveAll(r => r.Work == finished);
            history.AddRange((await finished).OrderBy(r => r.TrialId));
            onProgress?.Invoke(Progress(profile, history, ++completed, Elapsed(), budget) with { Finished = history[^(await finished).Count..] });
        }
        return history;
    }

    private static SearchProgress Progress(DatasetProfile profile, List<TrialResult> history, int completed, double elapsed, double budget)
    {
        var best = history.Where(t => t.Scored)
            .OrderByDescending(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ThenBy(t => t.TrialId).FirstOrDefault();
        return new SearchProgress(completed, history.Count, history.Count(t => !t.Scored),
            best?.Score, best?.Learner, Math.Round(elapsed, 3), budget);
    }
}
