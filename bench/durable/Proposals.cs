using System.Diagnostics;
using System.Text.Json;
using Serverless.AutoMl;

namespace Serverless.DurableBench;

/// <summary>One fixed list of trials both paths replay, and the in-process replay (what the CLI's loop does).</summary>
internal static class Proposals
{
    /// <summary>
    /// What the tuner proposes on this data in <paramref name="seconds"/> of in-process search, repeated (with fresh ids)
    /// up to <paramref name="count"/> trials: a realistic mix of learners and sizes.
    /// </summary>
    public static async Task<IReadOnlyList<TrialConfig>> FromTunerAsync(string csv, string label, int seconds, int count)
    {
        var engine = new AutoMlEngine();
        var folder = Directory.CreateTempSubdirectory("bench-proposals-").FullName;
        try
        {
            var profile = engine.Prepare(csv, new TrainingSpec { Label = label, BudgetSeconds = seconds }, folder);
            var history = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, folder), () => DateTime.UtcNow);
            var tuned = history.OrderBy(t => t.TrialId).Select(t => new TrialConfig(t.TrialId, t.Learner, t.Params)).ToList();
            return [.. Enumerable.Range(0, count).Select(i => tuned[i % tuned.Count] with { Id = i + 1 })];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The list saved at <paramref name="path"/> (so that two builds replay the same one), else the tuner's, saved there;
    /// without a path, the tuner's.
    /// </summary>
    public static async Task<IReadOnlyList<TrialConfig>> SavedOrFromTunerAsync(string? path, string csv, string label, int seconds, int count)
    {
        if (path is not null && File.Exists(path))
            return [.. JsonSerializer.Deserialize<List<TrialConfig>>(await File.ReadAllTextAsync(path))!.Take(count)];
        var proposals = await FromTunerAsync(csv, label, seconds, count);
        if (path is not null)
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(proposals));
        return proposals;
    }

    /// <summary>The replay in-process: search seconds, the trials' own seconds and the CPU time the search used.</summary>
    public static async Task<(double Seconds, IReadOnlyList<TrialResult> Trials, TimeSpan Cpu)> RunInProcessAsync(
        string csv, TrainingSpec spec, IReadOnlyList<TrialConfig> proposals)
    {
        var engine = new AutoMlEngine();
        var folder = Directory.CreateTempSubdirectory("bench-inprocess-").FullName;
        try
        {
            var profile = engine.Prepare(csv, spec, folder);
            var (clock, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            var state = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, folder), () => DateTime.UtcNow,
                new SearchOptions { Proposals = proposals }, resume: null);
            return (clock.Elapsed.TotalSeconds, state.History, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
