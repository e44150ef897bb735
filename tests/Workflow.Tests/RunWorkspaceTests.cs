using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

/// <summary>
/// A run's steps on three workers (three workspaces with their own folders) over a real Azurite, with the real engine:
/// what each step fetches, what it stores, and what is left once the run has ended.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunWorkspaceTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("workspace-").FullName;
    private readonly AutoMlEngine _engine = new();

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private RunWorkspace Worker(string name, TimeProvider? time = null) =>
        azurite.Workspace(name, azurite.Configuration(("AutoMl:WorkDirectory", Path.Combine(_folder, "work"))), time);

    private string Copy(string worker, string runId) => Path.Combine(_folder, "work", worker, runId);

    private string Csv()
    {
        var csv = Path.Combine(_folder, "data.csv");
        File.WriteAllLines(csv, ["x,z,y", .. Enumerable.Range(0, 200).Select(i => $"{i},{i % 7},{(i * 7 % 11 > 5 ? 1 : 0)}")]);
        return csv;
    }

    private async Task<List<string>> WorkBlobsAsync(string runId)
    {
        var names = new List<string>();
        await foreach (var (relative, _) in azurite.Runs.ListWorkAsync(runId))
            names.Add(relative);
        return names;
    }

    private static IReadOnlyList<TrialConfig> Trials(params int[] ids) =>
        [.. ids.Select(id => new TrialConfig(id, id % 2 == 0 ? "lbfgs" : "lightgbm", new Dictionary<string, double>()))];

    [Fact]
    public async Task Each_step_fetches_only_what_it_reads_and_a_bundle_of_trials_is_one_blob()
    {
        var runId = "steps_" + Guid.NewGuid().ToString("N")[..8];
        var (a, b, c) = (Worker("a"), Worker("b"), Worker("c"));
        var spec = new TrainingSpec { Label = "y", BudgetSeconds = 30 };

        var profile = await a.PrepareAsync(runId, folder => _engine.Prepare(Csv(), spec, folder));
        Assert.Equal(_engine.PrepareFiles(profile).Writes.Select(f => f.Path).Order(), (await WorkBlobsAsync(runId)).Order());

        var first = await b.RunTrialsAsync(runId, Trials(1, 2, 3), folder => [.. Trials(1, 2, 3).Select(t => _engine.RunTrial(folder, t))]);
        var second = await b.RunTrialsAsync(runId, Trials(4, 5), folder => [.. Trials(4, 5).Select(t => _engine.RunTrial(folder, t))]);
        Assert.All(first.Concat(second), t => Assert.Equal(TrialStatus.Succeeded, t.Status));
        // A trial reads the folds, not the prepared rows.
        Assert.False(File.Exists(Path.Combine(Copy("b", runId), "data.bin")));
        Assert.True(File.Exists(Path.Combine(Copy("b", runId), "folds", $"0-{profile.SampleSizes[0]}-train.idv")));
        var blobs = await WorkBlobsAsync(runId);
        Assert.Equal([TrialBundles.BlobName(1), TrialBundles.BlobName(4)], blobs.Where(n => n.StartsWith("bundles/")).Order());
        Assert.DoesNotContain(blobs, n => n.StartsWith("trials/"));

        var bundles = new TrialBundles().With(1).With(4);
        var trials = first.Concat(second).ToList();
        var model = Path.Combine(_folder, "model.zip");
        var card = await c.FinishAsync(runId, trials, bundles, folder => _engine.Finish(folder, trials, model));
        Assert.Equal(trials.Count, card.Trials);
        Assert.True(File.Exists(model));
        Assert.False(Directory.Exists(Path.Combine(Copy("c", runId), "folds")), "Finish reads the prepared rows, not the folds");
        Assert.Equal(trials.Count, Directory.GetFiles(Path.Combine(Copy("c", runId), "trials")).Length);

        await azurite.Runs.WriteReportAsync(runId, new TrainingReport { Status = RunStatus.Succeeded, Dataset = "steps", BlobName = "steps/data.csv" });
        await c.ReleaseAsync(runId);
        Assert.Equal(["profile.json"], await WorkBlobsAsync(runId));
        Assert.False(Directory.Exists(Copy("c", runId)));

        // The other workers drop their copies of the ended run when they sweep.
        await a.SweepAsync();
        await b.SweepAsync();
        Assert.False(Directory.Exists(Copy("a", runId)));
        Assert.False(Directory.Exists(Copy("b", runId)));
    }

    [Fact]
    public async Task Engine_steps_run_on_pool_threads_so_that_a_learner_runs_the_tasks_it_waits_for_itself()
    {
        var runId = "pool_" + Guid.NewGuid().ToString("N")[..8];
        var worker = Worker("a");
        var onPool = new List<bool>();
        await worker.PrepareAsync(runId, folder =>
        {
            onPool.Add(Thread.CurrentThread.IsThreadPoolThread);
            return _engine.Prepare(Csv(), new TrainingSpec { Label = "y", BudgetSeconds = 30 }, folder);
        });
        await worker.RunTrialsAsync(runId, Trials(1), folder =>
        {
            onPool.Add(Thread.CurrentThread.IsThreadPoolThread);
            return [.. Trials(1).Select(t => _engine.RunTrial(folder, t))];
        });
        Assert.Equal([true, true], onPool);
    }

    [Fact]
    public async Task Trials_that_end_after_their_run_was_cancelled_and_released_leave_no_files()
    {
        var runId = "cancelled_" + Guid.NewGuid().ToString("N")[..8];
        var worker = Worker("late");
        await worker.PrepareAsync(runId, folder => _engine.Prepare(Csv(), new TrainingSpec { Label = "y", BudgetSeconds = 30 }, folder));

        await worker.RunTrialsAsync(runId, Trials(1), folder =>
        {
            // The run is cancelled (report written, files released) while the trial runs.
            azurite.Runs.WriteReportAsync(runId, new TrainingReport { Status = RunStatus.Cancelled, Dataset = "late", BlobName = "late/data.csv" })
                .GetAwaiter().GetResult();
            Worker("canceller").ReleaseAsync(runId).GetAwaiter().GetResult();
            return [_engine.RunTrial(folder, Trials(1)[0])];
        });

        Assert.Equal(["profile.json"], await WorkBlobsAsync(runId));
    }

    [Fact]
    public async Task A_copy_is_swept_once_unused_for_a_while_but_never_while_a_step_uses_it()
    {
        var runId = "stale_" + Guid.NewGuid().ToString("N")[..8];
        var time = new ManualTime();
        var worker = Worker("stale", time);
        var spec = new TrainingSpec { Label = "y", BudgetSeconds = 30 };
        await worker.PrepareAsync(runId, folder => _engine.Prepare(Csv(), spec, folder));

        await worker.SweepAsync();
        Assert.True(Directory.Exists(Copy("stale", runId)), "a copy in recent use is kept while its run goes on");

        var sweptDuringStep = false;
        await worker.RunTrialsAsync(runId, Trials(1), folder =>
        {
            time.Now += RunWorkspace.StaleAfter * 2;
            worker.SweepAsync().GetAwaiter().GetResult();
            sweptDuringStep = !Directory.Exists(folder);
            return [_engine.RunTrial(folder, Trials(1)[0])];
        });
        Assert.False(sweptDuringStep);

        time.Now += RunWorkspace.StaleAfter * 2;
        await worker.SweepAsync();
        Assert.False(Directory.Exists(Copy("stale", runId)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
