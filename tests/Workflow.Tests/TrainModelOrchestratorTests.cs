using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.AutoMl;
using Serverless.AutoMl.Search;
using Serverless.Tests.Shared;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

/// <summary>
/// The real orchestrator on the Durable Task SDK's in-process test host (real scheduling, history and replay),
/// with scripted activities standing in for the engine, so each branch of a run can be forced.
/// </summary>
public sealed class TrainModelOrchestratorTests
{
    private static readonly TrainingRequest Request = new()
    {
        Dataset = "churn", BlobName = "churn/a.csv", DataHash = "md5:abc", Spec = new TrainingSpec(),
    };

    /// <summary>What the scripted activities do; every call is recorded.</summary>
    private sealed class Script
    {
        public Func<PrepareInput, PrepareOutput>? Prepare { get; init; }
        public Func<TrialConfig, TrialResult> Trial { get; init; } = config => Result(config, TrialStatus.Succeeded);
        public DatasetProfile Profile { get; init; } = Profile();
        public Func<DeployInput, DeployOutput> Deploy { get; init; } = input =>
            new DeployOutput("v1", true, "first model for this dataset", Card(input.Trials.First(t => t.Scored)));
        public ConcurrentQueue<string> Calls { get; } = new();
        public ConcurrentQueue<IReadOnlyList<TrialConfig>> Bundles { get; } = new();
        public ConcurrentQueue<DeployInput> Deployed { get; } = new();
        public ConcurrentQueue<TrainingReport> Recorded { get; } = new();
        /// <summary>The checkpoint each history started from, by its number (a replay records the same one again).</summary>
        public ConcurrentDictionary<int, SearchCheckpoint> Checkpoints { get; } = new();
        /// <summary>The run's progress (custom status) once it completed.</summary>
        public RunProgress? FinalProgress { get; set; }
    }

    private static DatasetProfile Profile() => new()
    {
        Label = "churn", Task = MlTask.Binary, Metric = "auc", Rows = 100,
        Columns = [new ColumnProfile("x", ColumnKind.Numeric, 0, 50, false, null)],
        Schema = new ModelSchema { Label = "churn", Task = MlTask.Binary, Columns = [new ModelColumn { Name = "x", Kind = ColumnKind.Numeric }], Classes = ["No", "Yes"] },
        Features = [new FeatureColumn("f0", "x", FeatureKind.Number, 50, false)],
        Separator = ",", HasHeader = true, Folds = 5, BudgetSeconds = 5, Seed = 1, ParallelTrials = 2,
        TrialTimeoutSeconds = 5, PrepareSeconds = 0, MemoryBytes = 1L << 32, ThreadsPerTrial = 1,
    };

    private static TrialResult Result(TrialConfig config, TrialStatus status, double seconds = 0.5) => new()
    {
        TrialId = config.Id, Learner = config.Learner, Params = config.Params, Status = status, Seconds = seconds,
        Score = status == TrialStatus.Succeeded ? 0.7 + config.Id % 10 * 0.01 : null,
        Metrics = status == TrialStatus.Succeeded ? new Dictionary<string, double> { ["auc"] = 0.7 + config.Id % 10 * 0.01 } : new Dictionary<string, double>(),
        Error = status == TrialStatus.Succeeded ? null : "scripted failure",
    };

    private static ModelCard Card(TrialResult best) => new()
    {
        Schema = Profile().Schema, Metric = "auc", CvScore = best.Score!.Value, Learner = best.Learner,
    };

    private static async Task<(TrainingReport Report, Script Script)> RunAsync(Script script, TrainModelInput? input = null,
        int activitiesPerHistory = TrainModelOrchestrator.DefaultActivitiesPerHistory)
    {
        await using var host = await DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestrator(WorkflowNames.TrainModel, () => new CheckpointRecorder(new TrainModelOrchestrator(activitiesPerHistory), script));
            tasks.AddActivityFunc<PrepareInput, PrepareOutput>(WorkflowNames.PrepareDataset, (_, prepare) =>
                Called(script, WorkflowNames.PrepareDataset, () => script.Prepare?.Invoke(prepare) ?? new PrepareOutput(script.Profile)));
            tasks.AddActivityFunc<TrialBundleInput, TrialBundleOutput>(WorkflowNames.RunTrials, (_, bundle) => Called(script, WorkflowNames.RunTrials, () =>
            {
                script.Bundles.Enqueue(bundle.Trials);
                return new TrialBundleOutput($"worker-{bundle.Trials[0].Id % 2}", [.. bundle.Trials.Select(script.Trial)]);
            }));
            tasks.AddActivityFunc<DeployInput, DeployOutput>(WorkflowNames.DeployChampion, (_, deploy) => Called(script, WorkflowNames.DeployChampion, () =>
            {
                script.Deployed.Enqueue(deploy);
                return script.Deploy(deploy);
            }));
            tasks.AddActivityFunc<RecordRunInput, bool>(WorkflowNames.RecordRun, (_, record) =>
            {
                script.Recorded.Enqueue(record.Report);
                return true;
            });
        }, new DurableTaskTestHostOptions { Port = Repo.FreePort() });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.TrainModel, input ?? new TrainModelInput(Request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var instance = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        script.FinalProgress = instance.ReadCustomStatusAs<RunProgress>();
        return (instance.ReadOutputAs<TrainingReport>()!, script);
    }

    /// <summary>The orchestrator, recording the checkpoint it was continued with (what each ContinueAsNew passed on).</summary>
    private sealed class CheckpointRecorder(TrainModelOrchestrator orchestrator, Script script) : TaskOrchestrator<TrainModelInput, TrainingReport?>
    {
        public override Task<TrainingReport?> RunAsync(TaskOrchestrationContext context, TrainModelInput input)
        {
            if (input.Checkpoint is { } checkpoint)
                script.Checkpoints[checkpoint.Histories] = checkpoint;
            return orchestrator.RunAsync(context, input);
        }
    }

    private static T Called<T>(Script script, string activity, Func<T> run)
    {
        script.Calls.Enqueue(activity);
        return run();
    }

    [Fact]
    public async Task A_run_whose_data_cannot_be_prepared_fails_with_the_reason_and_is_recorded()
    {
        var (report, script) = await RunAsync(new Script
        {
            Prepare = _ => throw new InvalidDatasetException("The file has 3 rows; at least 10 are needed."),
        });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.Contains("at least 10 are needed", report.Error);
        Assert.Equal([WorkflowNames.PrepareDataset], script.Calls);
        Assert.Equal(report, Assert.Single(script.Recorded), ReportComparer);
    }

    [Fact]
    public async Task A_run_whose_every_trial_failed_still_deploys_the_model_Finish_trains_itself()
    {
        // Finish (the deploy activity) trains the cheapest configuration when no trial succeeded, as the CLI's does.
        var fallback = new TrialResult { TrialId = 99, Learner = "lightgbm", Params = new Dictionary<string, double>(), Status = TrialStatus.Succeeded, Score = 0.6 };
        var (report, script) = await RunAsync(new Script
        {
            Trial = config => Result(config, TrialStatus.Failed),
            Deploy = _ => new DeployOutput("v1", true, "first model for this dataset", Card(fallback) with { Fallback = true }),
        });

        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal("v1", report.ModelVersion);
        Assert.All(Assert.Single(script.Deployed).Trials, t => Assert.Equal(TrialStatus.Failed, t.Status));
        Assert.Equal(report.Trials, report.TrialsFailed);
        Assert.Single(script.Recorded);
    }

    [Fact]
    public async Task A_run_whose_trials_and_fallback_training_all_failed_fails_with_both_reasons_and_keeps_the_trials()
    {
        var (report, script) = await RunAsync(new Script
        {
            Trial = config => Result(config, TrialStatus.Failed),
            Deploy = _ => throw new InvalidDatasetException("No model could be trained on this data: every learner failed."),
        });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.StartsWith($"All {report.Leaderboard.Count} trials failed (scripted failure), and so did training the cheapest configuration", report.Error);
        Assert.Contains("every learner failed", report.Error);
        Assert.NotEmpty(report.Leaderboard);
        Assert.Single(script.Recorded);
    }

    [Fact]
    public async Task A_run_whose_deployment_fails_reports_it_with_the_leaderboard()
    {
        var (report, script) = await RunAsync(new Script { Deploy = _ => throw new InvalidOperationException("registry unavailable") });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.StartsWith("Deploying the champion failed:", report.Error);
        Assert.Contains("registry unavailable", report.Error);
        Assert.NotEmpty(report.Leaderboard);
        Assert.Single(script.Recorded);
    }

    [Fact]
    public async Task A_run_with_successful_trials_deploys_the_best_and_records_success()
    {
        var (report, script) = await RunAsync(new Script());

        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal("v1", report.ModelVersion);
        Assert.True(report.Trials >= 2, $"{report.Trials} trials");
        Assert.Equal(report.Trials, script.Bundles.Sum(b => b.Count));
        Assert.Equal(WorkflowNames.DeployChampion, script.Calls.Last());
        Assert.Equal(report.Leaderboard.Where(t => t.Scored).Max(t => t.Score), report.Leaderboard[0].Score);
        Assert.Single(script.Recorded);
        var search = Assert.IsType<SearchStats>(report.Search);
        Assert.Equal(report.Trials, search.TrialsPerWorker.Values.Sum());
        Assert.Equal(script.Bundles.Count, search.Activities);
    }

    [Fact]
    public async Task Short_trials_go_in_bundles_and_every_trial_is_run_once_and_deployed_from_its_bundle()
    {
        var (report, script) = await RunAsync(new Script { Trial = config => Result(config, TrialStatus.Succeeded, seconds: 0.001) });

        Assert.Contains(script.Bundles, b => b.Count > 1);
        Assert.Equal(report.Trials, script.Bundles.Sum(b => b.Count));
        var ids = script.Bundles.SelectMany(b => b.Select(c => c.Id)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, report.Trials), ids);
        Assert.All(script.Bundles, b => Assert.Equal(Enumerable.Range(b[0].Id, b.Count), b.Select(c => c.Id)));
        var deployed = Assert.Single(script.Deployed);
        Assert.All(script.Bundles, b => Assert.All(b, c => Assert.Equal(TrialBundles.BlobName(b[0].Id), deployed.Bundles.BlobOf(c.Id))));
    }

    [Fact]
    public async Task A_search_longer_than_one_history_continues_in_fresh_ones_and_keeps_every_trial()
    {
        // Trials that count as long ones (one per activity) and a history that holds four activities.
        var (report, script) = await RunAsync(new Script { Trial = config => Result(config, TrialStatus.Succeeded, seconds: 1) },
            activitiesPerHistory: 4);

        var search = Assert.IsType<SearchStats>(report.Search);
        Assert.True(search.Histories >= 2, $"{search.Activities} activities in {search.Histories} histories");
        Assert.True(search.Activities <= 4 * search.Histories, $"{search.Activities} activities in {search.Histories} histories");
        Assert.Equal(script.Bundles.Count, search.Activities);
        Assert.Equal(Enumerable.Range(1, report.Trials), report.Leaderboard.Select(t => t.TrialId).Order());
        Assert.Equal(report.Trials, Assert.Single(script.Deployed).Trials.Count);
        Assert.Equal([WorkflowNames.PrepareDataset], script.Calls.Where(c => c == WorkflowNames.PrepareDataset));
        Assert.Single(script.Recorded);
        // The timeline the Studio draws goes on across histories: the first history's first trial is still on it.
        var timeline = Assert.IsType<RunProgress>(script.FinalProgress).Timeline;
        Assert.Contains(timeline, p => p.Trial == 1);
        Assert.Contains(timeline, p => p.Trial == report.Trials);
    }

    /// <summary>
    /// A long run past the history's cap: 26 histories of four calls of 64 trials (trials that take no time fill each
    /// bundle to its limit), every tenth trial failing, trial 42 the best (long past the recent ones). The history is
    /// trimmed first at trial 4,032 (to about 1,600 trials) and again in the last history, at trial 6,464.
    /// </summary>
    private const int LongRunTrials = 26 * 4 * SearchLoop.MaxBundleTrials;
    private const int LongRunFailures = LongRunTrials / 10;
    private const int BestTrial = 42;

    /// <summary>One long run shared by the tests that only read it; a checkpoint every 256 trials, one just before the cap.</summary>
    private static readonly Lazy<Task<(TrainingReport Report, Script Script)>> SharedLongRun = new(() =>
    {
        var proposals = Enumerable.Range(1, LongRunTrials)
            .Select(i => new TrialConfig(i, "lbfgs", new Dictionary<string, double> { ["l2"] = i })).ToList();
        var script = new Script { Profile = Profile() with { BudgetSeconds = 86_400 }, Trial = LongRunTrial };
        return RunAsync(script, new TrainModelInput(Request) { Proposals = proposals }, activitiesPerHistory: 4);
    });

    private static TrialResult LongRunTrial(TrialConfig config)
    {
        if (config.Id % 10 == 0)
            return Result(config, TrialStatus.Failed, seconds: 0);
        var score = config.Id == BestTrial ? 0.99 : 0.6 + config.Id * 7919 % 1000 / 10_000.0;
        return Result(config, TrialStatus.Succeeded, seconds: 0) with { Score = score, Metrics = new Dictionary<string, double> { ["auc"] = score } };
    }

    /// <summary>The first trial of the bundle (RunTrials call) that ran each trial.</summary>
    private static Dictionary<int, int> BundleFirsts(Script script) =>
        script.Bundles.SelectMany(b => b.Select(c => (c.Id, First: b[0].Id))).ToDictionary(x => x.Id, x => x.First);

    [Fact]
    public async Task A_search_past_the_history_cap_continues_from_checkpoints_that_stop_growing()
    {
        var (_, script) = await SharedLongRun.Value;

        var checkpoints = script.Checkpoints.OrderBy(c => c.Key).Select(c => c.Value).ToList();
        Assert.Contains(checkpoints, c => c.Search.Trials > 1.5 * RetainedTrials.Cap);
        Assert.All(checkpoints, c => Assert.InRange(c.Search.History.Count, 1, RetainedTrials.Cap));
        Assert.All(checkpoints.Where(c => c.Search.Trials <= RetainedTrials.Cap), c => Assert.Equal(c.Search.Trials, c.Search.History.Count));
        // The largest checkpoint before any trial was dropped held nearly the cap (3,840 trials); later ones, with up to 6,400, are no larger.
        var sizes = checkpoints.Select(c => (c.Search.Trials, Bytes: JsonSerializer.Serialize(c).Length)).ToList();
        var atCap = sizes.Where(s => s.Trials <= RetainedTrials.Cap).Max(s => s.Bytes);
        Assert.All(sizes, s => Assert.InRange(s.Bytes, 0, 1.1 * atCap));
        // Each checkpoint's ledger holds the bundles of its kept trials and no other.
        var firsts = BundleFirsts(script);
        Assert.All(checkpoints, c => Assert.Equal(
            c.Search.History.Select(t => firsts[t.TrialId]).Distinct().Order(), c.Ledger.Bundles.FirstIds));
    }

    [Fact]
    public async Task A_search_past_the_history_cap_counts_every_trial_it_ran_across_its_histories()
    {
        var (report, script) = await SharedLongRun.Value;

        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal(Enumerable.Range(1, LongRunTrials), script.Bundles.SelectMany(b => b.Select(c => c.Id)).Order());
        Assert.Equal(LongRunTrials, report.Trials);
        Assert.Equal(LongRunFailures, report.TrialsFailed);
        Assert.Equal(LongRunTrials, Assert.IsType<SearchStats>(report.Search).TrialsPerWorker.Values.Sum());
        // A search continues only once its calls came back, so each checkpoint counts trials 1..Trials, the dropped ones too.
        Assert.All(script.Checkpoints.Values, c =>
        {
            Assert.Equal(c.Search.Trials, c.Ledger.TrialsPerWorker.Values.Sum());
            Assert.Equal(c.Search.Trials / 10, c.Search.FailedTrials);
        });
    }

    [Fact]
    public async Task A_search_past_the_history_cap_deploys_its_kept_trials_with_their_bundles_the_full_counts_and_the_best_trial()
    {
        var (report, script) = await SharedLongRun.Value;

        var deployed = Assert.Single(script.Deployed);
        // The last history trimmed the history it was continued with: some of its trials were dropped before Finish.
        var last = script.Checkpoints.MaxBy(c => c.Key).Value;
        Assert.Contains(last.Search.History, t => !deployed.Trials.Any(k => k.TrialId == t.TrialId));
        Assert.Equal(new TrialCounts(LongRunTrials, LongRunTrials - LongRunFailures), deployed.Counts);
        Assert.InRange(deployed.Trials.Count, 1, RetainedTrials.Cap);
        Assert.Equal(deployed.Trials.Select(t => t.TrialId).Order(), report.Leaderboard.Select(t => t.TrialId).Order());
        // Only the bundles of the kept trials travel, and each kept trial still finds its own.
        var firsts = BundleFirsts(script);
        Assert.Equal(deployed.Trials.Select(t => firsts[t.TrialId]).Distinct().Order(), deployed.Bundles.FirstIds);
        Assert.All(deployed.Trials, t => Assert.Equal(TrialBundles.BlobName(firsts[t.TrialId]), deployed.Bundles.BlobOf(t.TrialId)));
        // The best trial ran in the first history and was kept through every trim since.
        Assert.All(script.Checkpoints.Values, c => Assert.Contains(c.Search.History, t => t.TrialId == BestTrial));
        Assert.Contains(deployed.Trials, t => t.TrialId == BestTrial);
        Assert.Equal(BestTrial, report.Leaderboard[0].TrialId);
    }

    [Fact]
    public async Task A_run_given_proposals_runs_exactly_those_in_order()
    {
        var proposals = Enumerable.Range(1, 7)
            .Select(i => new TrialConfig(i, "lbfgs", new Dictionary<string, double> { ["l2"] = i })).ToList();
        var (report, script) = await RunAsync(new Script(), new TrainModelInput(Request) { Proposals = proposals });

        Assert.Equal(proposals.Select(p => (p.Id, p.Params["l2"])), script.Bundles.SelectMany(b => b).Select(c => (c.Id, c.Params["l2"])).Order());
        Assert.Equal(7, report.Trials);
    }

    private static readonly IEqualityComparer<TrainingReport> ReportComparer =
        EqualityComparer<TrainingReport>.Create((a, b) => a?.Status == b?.Status && a?.Error == b?.Error);
}
