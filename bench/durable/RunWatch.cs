using System.Diagnostics;
using Serverless.Workflow.Runs;

namespace Serverless.DurableBench;

/// <summary>
/// A run's progress as seen through the runs API every 100 ms: when each stage and trial count was first shown, and
/// the CPU time the cluster had used by then.
/// </summary>
/// <summary>CPU time each part has used so far: Azurite, the hosts, and this benchmark (which polls the runs API).</summary>
internal sealed record CpuSplit(TimeSpan Azurite, TimeSpan Hosts, TimeSpan Bench)
{
    public static CpuSplit Of(LocalCluster cluster) =>
        new(cluster.AzuriteProcessorTime, cluster.HostsProcessorTime, Process.GetCurrentProcess().TotalProcessorTime);

    public static CpuSplit operator -(CpuSplit a, CpuSplit b) => new(a.Azurite - b.Azurite, a.Hosts - b.Hosts, a.Bench - b.Bench);

    /// <summary>Milliseconds of each part per unit (a trial, a second): "host / Azurite / benchmark".</summary>
    public string Per(double units) =>
        $"{Hosts.TotalMilliseconds / units:F1} | {Azurite.TotalMilliseconds / units:F1} | {Bench.TotalMilliseconds / units:F1}";
}

internal sealed record Sample(double Seconds, RunStage Stage, int TrialsDone, IReadOnlyDictionary<string, int> TrialsPerWorker, TimeSpan Cpu);

internal static class RunWatch
{
    /// <summary>
    /// Polls until the run has ended, every 100 ms unless told otherwise; <paramref name="onSample"/> may act on the run
    /// (e.g. kill a worker).
    /// </summary>
    public static async Task<(RunState Run, List<Sample> Samples)> FollowAsync(LocalCluster cluster, string runId, Func<int> worker,
        Action<Sample>? onSample = null, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        var samples = new List<Sample>();
        while (true)
        {
            var state = await cluster.GetRunAsync(runId, worker());
            if (state is { IsActive: false })
                return (state, samples);
            if (state?.Progress is { } progress && (samples.Count == 0 || samples[^1].TrialsDone != progress.TrialsDone || samples[^1].Stage != progress.Stage))
            {
                samples.Add(new Sample(clock.Elapsed.TotalSeconds, progress.Stage, progress.TrialsDone,
                    progress.TrialsPerWorker ?? new Dictionary<string, int>(), cluster.ProcessorTime));
                onSample?.Invoke(samples[^1]);
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// CPU time the cluster used while the run searched: from the first sample searching to the first deploying, or to
    /// <paramref name="endCpu"/> (read when the run had ended) if the polls missed the short deploying stage, which then
    /// counts too.
    /// </summary>
    public static TimeSpan SearchCpu(List<Sample> samples, TimeSpan endCpu) =>
        (samples.FirstOrDefault(s => s.Stage > RunStage.Searching)?.Cpu ?? endCpu) - samples.First(s => s.Stage == RunStage.Searching).Cpu;

    /// <summary>The longest time the trial count stood still between <paramref name="from"/> and the run's end.</summary>
    public static double LongestStall(List<Sample> samples, double from) => LongestStallOf(samples, from).Seconds;

    /// <summary>That stall: how long, from when, and at what stage and trial count.</summary>
    public static (double Seconds, Sample? Start) LongestStallOf(List<Sample> samples, double from) =>
        samples.Zip(samples.Skip(1)).Where(p => p.Second.Seconds > from)
            .Select(p => (Seconds: p.Second.Seconds - Math.Max(p.First.Seconds, from), Start: (Sample?)p.First))
            .DefaultIfEmpty().MaxBy(stall => stall.Seconds);
}
