using System.Diagnostics;
using System.Text.Json;
using Serverless.AutoMl;
using Serverless.DurableBench;
using Serverless.Tests.Shared;
using Serverless.Workflow.Runs;

// The durable search against the in-process engine (see bench/durable/RESULTS.md for the commands and results):
//   fixed   --data F --label L --trials 50,200,2000 [--slots 2] [--poll-ms 100] [--proposals P.json]   one fixed list of proposals
//           through both paths (with --proposals: the list saved there, else the tuner's, saved there)
//   compare --data F --label L --budget 60 [--name D]              the CLI, then the local host (upload), same data and budget
//   workers --data F --label L --trials 2000 [--kill-at 0.4]       two local hosts: the split, then one killed mid-run
//   cpu     --data F --label L --trials 500 [--slots 2]            where a durable trial's CPU goes: host, Azurite, status polls
//   latency --data F --label L --uploads 5                         upload -> run started, on an idle local host
var options = args.Skip(1).Chunk(2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair.ElementAtOrDefault(1) ?? "");
string Option(string name, string? fallback = null) => options.GetValueOrDefault(name) ?? fallback ?? throw new ArgumentException($"--{name} is required");
var (data, label) = (Path.GetFullPath(Option("data")), Option("label"));

switch (args.FirstOrDefault())
{
    case "fixed":
        await Fixed([.. Option("trials", "50,200,500,2000").Split(',').Select(int.Parse)], int.Parse(Option("slots", $"{Environment.ProcessorCount}")),
            TimeSpan.FromMilliseconds(int.Parse(Option("poll-ms", "100"))), options.GetValueOrDefault("proposals"));
        return 0;
    case "compare":
        await Compare(int.Parse(Option("budget", "60")), Option("name", Path.GetFileNameWithoutExtension(data).ToLowerInvariant()));
        return 0;
    case "workers":
        await Workers(int.Parse(Option("trials", "2000")), double.Parse(Option("kill-at", "0.4")));
        return 0;
    case "cpu":
        await Cpu(int.Parse(Option("trials", "500")), int.Parse(Option("slots", $"{Environment.ProcessorCount}")));
        return 0;
    case "latency":
        await Latency(int.Parse(Option("uploads", "5")));
        return 0;
    default:
        Console.Error.WriteLine("usage: fixed|compare|workers|cpu|latency --data F --label L [options] (see Program.cs)");
        return 2;
}

/// <summary>A long budget, so that a fixed list runs to its end whatever the machine's speed.</summary>
TrainingSpec FixedSpec(int slots) => new() { Label = label, BudgetSeconds = 7200, ParallelTrials = slots };

/// <summary>
/// Hosts that have run the first trials of the list and every learner of it (JIT, ML.NET and LightGBM loaded and
/// optimized), as a deployment's workers are after their first runs; the in-process side is warm from the tuner run.
/// </summary>
async Task<LocalCluster> WarmClusterAsync(int workers, int slotsPerWorker, IReadOnlyList<TrialConfig> proposals)
{
    var cluster = await LocalCluster.StartAsync(workers, slotsPerWorker);
    var learners = proposals.GroupBy(p => p.Learner).SelectMany(g => g.Take(2 * workers * slotsPerWorker));
    var warmUp = await cluster.StartFixedRunAsync("warm-up", data, FixedSpec(workers * slotsPerWorker), [.. proposals.Take(100).Concat(learners)]);
    Succeeded((await RunWatch.FollowAsync(cluster, warmUp, () => 0)).Run);
    await UntilQuietAsync(cluster);
    return cluster;
}

/// <summary>
/// After the warm-up the hosts keep compiling what it ran (tiered JIT: thousands of methods for tens of seconds on
/// this machine); a measured run starts once the cluster uses less than 15% of a core, or after a minute.
/// </summary>
static async Task UntilQuietAsync(LocalCluster cluster)
{
    const double QuietShareOfACore = 0.15;
    for (var waited = 0; waited < 30; waited++)
    {
        var before = cluster.ProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(2));
        if ((cluster.ProcessorTime - before).TotalSeconds < 2 * QuietShareOfACore)
            return;
    }
}

/// <summary>
/// The durable run's status is polled every <paramref name="poll"/>: its search CPU is counted between the polls that
/// first saw it search and deploy, so a coarse poll blurs that column for short runs (and a fine one costs CPU, see cpu).
/// </summary>
async Task Fixed(int[] counts, int slots, TimeSpan poll, string? saved)
{
    var proposals = await Proposals.SavedOrFromTunerAsync(saved, data, label, seconds: 20, counts.Max());
    Console.WriteLine($"Fixed proposals on {Path.GetFileName(data)}, {slots} slots ({Describe(proposals)})\n");
    Console.WriteLine("| trials | in-process s | durable s | durable / in-process throughput | slot use in-process | slot use durable " +
        "| overhead per trial in-process | overhead per trial durable | CPU per trial in-process | CPU per trial durable (hosts + Azurite) | activities | histories |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
    using var cluster = await WarmClusterAsync(workers: 1, slots, proposals);
    foreach (var count in counts)
    {
        var list = proposals.Take(count).ToList();
        var (inProcessSeconds, inProcessTrials, inProcessCpu) = await Proposals.RunInProcessAsync(data, FixedSpec(slots), list);
        var runId = await cluster.StartFixedRunAsync($"fixed-{count}", data, FixedSpec(slots), list);
        var (run, samples) = await RunWatch.FollowAsync(cluster, runId, () => 0, every: poll);
        var searchCpu = RunWatch.SearchCpu(samples, cluster.ProcessorTime);
        var (report, search) = Succeeded(run);
        Console.WriteLine($"| {count} | {inProcessSeconds:F1} | {search.Seconds:F1} | {inProcessSeconds / search.Seconds:F2} " +
            $"| {SlotUse(inProcessTrials, slots, inProcessSeconds):P0} | {search.SlotUtilization:P0} " +
            $"| {OverheadMs(inProcessTrials, slots, inProcessSeconds):F0} ms | {OverheadMs(report.Leaderboard, slots, search.Seconds):F0} ms " +
            $"| {inProcessCpu.TotalMilliseconds / count:F0} ms | {searchCpu.TotalMilliseconds / count:F0} ms " +
            $"| {search.Activities} | {search.Histories} |");
    }
}

/// <summary>
/// One fixed list run twice on a warm host, with the runs API polled 10 times a second (as the other modes do) and
/// once a second (as the CLI's watch does), and the idle cluster measured with and without polls: CPU per trial of
/// the host, Azurite and this benchmark's process, against the in-process engine's.
/// </summary>
async Task Cpu(int count, int slots)
{
    const double IdleSeconds = 20;
    var proposals = await Proposals.FromTunerAsync(data, label, seconds: 20, count);
    Console.WriteLine($"CPU of {count} fixed proposals on {Path.GetFileName(data)}, {slots} slots ({Describe(proposals)})\n");
    using var cluster = await WarmClusterAsync(workers: 1, slots, proposals);
    var (_, _, inProcessCpu) = await Proposals.RunInProcessAsync(data, FixedSpec(slots), proposals);
    Console.WriteLine("| what | seconds | unit | host ms | Azurite ms | benchmark ms |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Console.WriteLine($"| in-process search (the benchmark's process) | | per trial | | | {inProcessCpu.TotalMilliseconds / count:F1} |");
    await UntilQuietAsync(cluster);
    var idle = CpuSplit.Of(cluster);
    await Task.Delay(TimeSpan.FromSeconds(IdleSeconds));
    Console.WriteLine($"| idle, no polls | {IdleSeconds:F0} | per second | {(CpuSplit.Of(cluster) - idle).Per(IdleSeconds)} |");
    var runId = "";
    foreach (var every in new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1) })
    {
        var (start, clock) = (CpuSplit.Of(cluster), Stopwatch.StartNew());
        runId = await cluster.StartFixedRunAsync($"cpu-{every.TotalMilliseconds:F0}", data, FixedSpec(slots), proposals);
        Succeeded((await RunWatch.FollowAsync(cluster, runId, () => 0, every: every)).Run);
        Console.WriteLine($"| whole run (prepare, search, finish), polled every {every.TotalMilliseconds:F0} ms | {clock.Elapsed.TotalSeconds:F1} " +
            $"| per trial | {(CpuSplit.Of(cluster) - start).Per(count)} |");
        await UntilQuietAsync(cluster);
    }
    var polled = CpuSplit.Of(cluster);
    var stop = DateTime.UtcNow.AddSeconds(IdleSeconds);
    while (DateTime.UtcNow < stop)
    {
        await cluster.GetRunAsync(runId);
        await Task.Delay(100);
    }
    Console.WriteLine($"| idle, the ended run polled every 100 ms | {IdleSeconds:F0} | per second | {(CpuSplit.Of(cluster) - polled).Per(IdleSeconds)} |");
}

async Task Compare(int budget, string name)
{
    var (train, test) = Split(data);
    Console.WriteLine($"{name}: {budget} s budget, trained on 4/5 of the rows, tested on every 5th\n");
    Console.WriteLine("| path | trials | cv | test | upload → champion s | search s | slot use |");
    Console.WriteLine("|---|---|---|---|---|---|---|");

    var dll = Path.Combine(Repo.Root, "src", "Cli", "bin", Repo.Configuration, "net10.0", "Serverless.Cli.dll");
    var clock = Stopwatch.StartNew();
    var cli = Process.Start(new ProcessStartInfo("dotnet",
        [dll, "train", "--data", train, "--label", label, "--test", test, "--budget-seconds", $"{budget}", "--json", "--output", Path.ChangeExtension(train, ".zip")])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var stdout = cli.StandardOutput.ReadToEndAsync();
    _ = cli.StandardError.ReadToEndAsync();
    await cli.WaitForExitAsync();
    var summary = JsonDocument.Parse((await stdout).TrimEnd().Split('\n')[^1]).RootElement;
    var metric = summary.GetProperty("metric").GetString()!;
    Console.WriteLine($"| CLI (in-process) | {summary.GetProperty("trials").GetInt32()} | {summary.GetProperty("cvScore").GetDouble():F4} " +
        $"| {summary.GetProperty("test").GetProperty(metric).GetDouble():F4} | {clock.Elapsed.TotalSeconds:F1} (process) | | |");

    using var cluster = await LocalCluster.StartAsync(workers: 1, Environment.ProcessorCount);
    clock.Restart();
    await cluster.UploadAsync(name, train, new TrainingSpec { Label = label, BudgetSeconds = budget });
    var runId = await cluster.WaitForRunIdAsync(name);
    var champion = await Until(() => cluster.ChampionAsync(name));
    var uploadToChampion = clock.Elapsed.TotalSeconds;
    var (run, _) = await RunWatch.FollowAsync(cluster, runId, () => 0);
    var (report, search) = Succeeded(run);
    using var model = TrainedModel.Load(await cluster.DownloadModelAsync(champion));
    var score = ModelEvaluation.Evaluate(model, test)[metric];
    Console.WriteLine($"| local host (durable) | {report.Trials} | {report.CvScore:F4} | {score:F4} | {uploadToChampion:F1} " +
        $"| {search.Seconds:F1} | {search.SlotUtilization:P0} |");
}

async Task Workers(int count, double killAt)
{
    var proposals = await Proposals.FromTunerAsync(data, label, seconds: 20, count);
    Console.WriteLine($"Two local hosts with one slot each on {Path.GetFileName(data)}, {count} fixed proposals ({Describe(proposals)})\n");
    Console.WriteLine("| run | search s | trials per worker | slot use | longest wait for progress | after the kill | versions deployed |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    var notes = new List<string>();
    foreach (var kill in new[] { false, true })
    {
        using var cluster = await WarmClusterAsync(workers: 2, slotsPerWorker: 1, proposals);
        var dataset = kill ? "workers-kill" : "workers";
        var runId = await cluster.StartFixedRunAsync(dataset, data, FixedSpec(slots: 2), proposals);
        double? killedAt = null;
        var (run, samples) = await RunWatch.FollowAsync(cluster, runId, () => 1, sample =>
        {
            if (!kill || killedAt is not null || sample.TrialsDone < killAt * count) return;
            cluster.Kill(0);
            killedAt = sample.Seconds;
        });
        var (_, search) = Succeeded(run);
        var versions = (await cluster.ChampionAsync(dataset)) is null ? 0 : 1;
        var before = RunWatch.LongestStall([.. samples.Where(s => s.Seconds <= (killedAt ?? double.MaxValue))], 0);
        var after = killedAt is { } at ? $"{RunWatch.LongestStall(samples, at):F1} s (killed at {at:F0} s, {samples.First(s => s.Seconds >= at).TrialsDone} trials done)" : "";
        Console.WriteLine($"| {(kill ? $"worker-0 killed at {killAt:P0}" : "both up")} | {search.Seconds:F1} " +
            $"| {string.Join(", ", search.TrialsPerWorker.OrderBy(w => w.Key).Select(w => $"{w.Key} {w.Value} ({(double)w.Value / count:P0})"))} " +
            $"| {search.SlotUtilization:P0} | {before:F1} s | {after} | {versions} |");
        if (RunWatch.LongestStallOf([.. samples.Where(s => s.Seconds <= (killedAt ?? double.MaxValue))], 0).Start is { } stall)
            notes.Add($"{(kill ? "Killed run" : "Both up")}: the longest wait for progress began at {stall.Seconds:F1} s, {stall.Stage}, {stall.TrialsDone} trials done.");
        if (killedAt is { } killed)
            notes.Add("Progress after the kill (seconds after it, trials done): " +
                string.Join(", ", samples.Where(s => s.Seconds > killed).Take(8).Select(s => $"{s.Seconds - killed:F1} ({s.TrialsDone})")));
    }
    notes.ForEach(note => Console.WriteLine($"\n{note}"));
}

/// <summary>
/// Upload -> run started on a local host left idle for 5 s before each upload (its queue polls backed off to their
/// longest interval, the slowest case): when the run is recorded (the blob watcher saw the upload) and when its
/// orchestration has run (its first status). Each run is small and ends before the next upload.
/// </summary>
async Task Latency(int uploads)
{
    Console.WriteLine($"Upload to run on one idle local host, {Path.GetFileName(data)}, status polled every 100 ms\n");
    Console.WriteLine("| upload | run recorded s | orchestration running s |");
    Console.WriteLine("|---|---|---|");
    using var cluster = await LocalCluster.StartAsync(workers: 1, Environment.ProcessorCount);
    for (var i = 1; i <= uploads; i++)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var dataset = $"latency-{i}";
        var clock = Stopwatch.StartNew();
        await cluster.UploadAsync(dataset, data, new TrainingSpec { Label = label, BudgetSeconds = 5 });
        var runId = await cluster.WaitForRunIdAsync(dataset);
        var recorded = clock.Elapsed.TotalSeconds;
        await Until(async () => await cluster.GetRunAsync(runId) is { Progress: not null } state ? state : null);
        var running = clock.Elapsed.TotalSeconds;
        Succeeded((await RunWatch.FollowAsync(cluster, runId, () => 0)).Run);
        Console.WriteLine($"| {i} | {recorded:F2} | {running:F2} |");
    }
}

static (TrainingReport Report, SearchStats Search) Succeeded(RunState run) =>
    run.Report is { Status: RunStatus.Succeeded, Search: { } search } report
        ? (report, search)
        : throw new InvalidOperationException($"The run did not succeed: {run.Report?.Error ?? run.Failure ?? run.RuntimeStatus.ToString()}");

static double SlotUse(IEnumerable<TrialResult> trials, int slots, double seconds) => trials.Sum(t => t.Seconds) / (slots * seconds);

/// <summary>Slot time not spent in a trial, per trial.</summary>
static double OverheadMs(IReadOnlyList<TrialResult> trials, int slots, double seconds) =>
    1000 * (slots * seconds - trials.Sum(t => t.Seconds)) / trials.Count;

static string Describe(IReadOnlyList<TrialConfig> proposals) =>
    string.Join(", ", proposals.GroupBy(p => p.Learner).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {(double)g.Count() / proposals.Count:P0}"));

static async Task<T> Until<T>(Func<Task<T?>> probe) where T : class
{
    while (true)
    {
        if (await probe() is { } value) return value;
        await Task.Delay(100);
    }
}

/// <summary>Every 5th data row to a test file, the rest to a training file (both keep the header).</summary>
static (string Train, string Test) Split(string csv)
{
    var lines = File.ReadAllLines(csv);
    var folder = Directory.CreateTempSubdirectory("bench-split-").FullName;
    var (train, test) = (Path.Combine(folder, "train.csv"), Path.Combine(folder, "test.csv"));
    var rows = lines.Skip(1).Select((line, i) => (line, i)).ToList();
    File.WriteAllLines(train, [lines[0], .. rows.Where(r => r.i % 5 != 4).Select(r => r.line)]);
    File.WriteAllLines(test, [lines[0], .. rows.Where(r => r.i % 5 == 4).Select(r => r.line)]);
    return (train, test);
}
