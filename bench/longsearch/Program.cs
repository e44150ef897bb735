using System.Diagnostics;
using System.Text.Json;
using Serverless.AutoMl;

// The search loop and tuner driven far beyond a real run's trial count, with replayed (synthetic) trial results: every
// trial "takes" a fixed number of seconds on a fake clock and scores by a smooth function of its parameters plus
// deterministic noise, so only the loop's own work is timed. The search runs in segments and resumes from its state
// after a JSON round trip, as the durable orchestrator does through ContinueAsNew; each segment reports the loop's
// milliseconds per trial, the checkpoint's size and the process's memory.
//   dotnet run -c Release --project bench/longsearch -- --data house-votes-train.csv --label Class --trials 200000 --minutes 10
var arguments = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => args.ElementAtOrDefault(x.i + 1) ?? "");
var data = arguments["data"];
var target = int.Parse(arguments.GetValueOrDefault("trials", "200000"));
var wallCap = TimeSpan.FromMinutes(double.Parse(arguments.GetValueOrDefault("minutes", "10")));
var segmentCalls = int.Parse(arguments.GetValueOrDefault("segment", "1000"));
var trialSeconds = double.Parse(arguments.GetValueOrDefault("trial-seconds", "0.03"));
var report = new HashSet<int>(arguments.GetValueOrDefault("report", "1000,2000,5000,10000,20000,50000,100000,200000").Split(',').Select(int.Parse));

// --workdir keeps the prepared profile and reuses it: Prepare's measured times steer the tuner, so two builds compared
// proposal by proposal (--proposals writes them) must read the same profile.
var keep = arguments.TryGetValue("workdir", out var given);
var workDir = given ?? Path.Combine(Path.GetTempPath(), $"longsearch-{Guid.NewGuid():N}");
var engine = new AutoMlEngine();
var profile = keep && File.Exists(Path.Combine(workDir, "profile.json"))
    ? engine.ReadProfile(workDir)
    : engine.Prepare(data, new TrainingSpec { Label = arguments.GetValueOrDefault("label"), BudgetSeconds = 86_400, ParallelTrials = 2, Seed = 1 }, workDir);
var clock = new FakeClock((profile.StartedAtUtc ?? DateTime.UtcNow).AddSeconds(profile.PrepareSeconds));
var executor = new ReplayedTrials(profile, clock, trialSeconds / Math.Max(1, profile.ParallelTrials));
using var proposals = arguments.TryGetValue("proposals", out var proposalsPath) ? new StreamWriter(proposalsPath) : null;
executor.Proposed = proposals;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var wall = Stopwatch.StartNew();
SearchState? state = null;
var (trials, lastReported) = (0, 0);
Console.WriteLine(JsonSerializer.Serialize(new { profile.Rows, profile.ParallelTrials, segmentCalls, trialSeconds, load = File.ReadAllText("/proc/loadavg").Trim() }));
while (trials < target && wall.Elapsed < wallCap)
{
    var segment = Stopwatch.StartNew();
    var before = executor.Trials;
    state = await SearchLoop.RunAsync(profile, executor, clock.Now, new SearchOptions { CallsPerSegment = segmentCalls }, state);
    var loopMs = segment.Elapsed.TotalMilliseconds;
    var checkpoint = JsonSerializer.Serialize(state, json);
    state = JsonSerializer.Deserialize<SearchState>(checkpoint, json)!;
    trials = executor.Trials;
    var crossed = report.Where(r => r > lastReported && r <= trials).ToList();
    if (crossed.Count > 0 || state.Finished || wall.Elapsed >= wallCap)
    {
        lastReported = trials;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            trials,
            msPerTrial = Math.Round(loopMs / Math.Max(1, trials - before), 4),
            checkpointKb = Math.Round(checkpoint.Length / 1024.0, 1),
            historyTrials = state.History.Count,
            managedMb = Math.Round(GC.GetTotalMemory(false) / 1e6, 1),
            rssMb = Math.Round(Process.GetCurrentProcess().WorkingSet64 / 1e6, 1),
            wallSeconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
            duplicates = executor.Duplicates,
            best = executor.Best,
        }));
    }
    if (state.Finished) break;
}
Console.WriteLine(JsonSerializer.Serialize(new { load = File.ReadAllText("/proc/loadavg").Trim() }));
if (!keep) Directory.Delete(workDir, recursive: true);

internal sealed class FakeClock(DateTime start)
{
    public DateTime Current { get; set; } = start;
    public DateTime Now() => Current;
}

/// <summary>Trials that return at once: a fixed cost on the fake clock and a deterministic score of their parameters.</summary>
internal sealed class ReplayedTrials(DatasetProfile profile, FakeClock clock, double secondsPerTrial) : ITrialExecutor
{
    private readonly HashSet<string> _seen = [];
    public int Trials { get; private set; }
    public int Duplicates { get; private set; }
    public double Best { get; private set; }
    public TextWriter? Proposed { get; set; }

    public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
    {
        var results = trials.Select(Run).ToList();
        return Task.FromResult<IReadOnlyList<TrialResult>>(results);
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and two builds must see the same scores.</summary>
    private static uint Fnv(string text) => text.Aggregate(2166136261u, (hash, c) => (hash ^ c) * 16777619u);

    private TrialResult Run(TrialConfig config)
    {
        Trials++;
        clock.Current = clock.Current.AddSeconds(secondsPerTrial);
        var key = config.Learner + string.Join(",", config.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value:R}"));
        if (!_seen.Add(key)) Duplicates++;
        Proposed?.WriteLine($"{config.Id} {key}");
        // Smooth in log-parameters, best at a learner-specific point, plus noise fixed by the configuration.
        var distance = config.Params.Values.Select(v => Math.Log(1 + Math.Abs(v)) - 2.5).Sum(d => d * d) / Math.Max(1, config.Params.Count);
        var noise = Fnv(key) % 1000 / 1000.0;
        var score = Math.Round(0.99 - 0.05 * Math.Min(1, distance / 10) - 0.01 * noise - (config.Learner.Length % 3) * 0.002, 6);
        Best = Math.Max(Best, score);
        return new TrialResult
        {
            TrialId = config.Id, Learner = config.Learner, Params = config.Params, Status = TrialStatus.Succeeded, Score = score,
            Metrics = new Dictionary<string, double> { [profile.Metric] = score }, Seconds = secondsPerTrial, FitSeconds = secondsPerTrial / 2,
            Iterations = config.Params.TryGetValue("rounds", out var rounds) ? (int)rounds : null,
        };
    }
}
