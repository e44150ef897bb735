using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.AutoMl;
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
        Dataset = "churn", BlobName = "churn/a.csv", BlobETag = "\"1\"", DataHash = "md5:abc", Spec = new TrainingSpec(),
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
            tasks.AddOrchestrator(WorkflowNames.TrainModel, () => new TrainModelOrchestrator(activitiesPerHistory));
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
    public async Task A_run_whose_every_trial_failed_fails_without_deploying_and_keeps_the_trials()
    {
        var (report, script) = await RunAsync(new Script { Trial = config => Result(config, TrialStatus.Failed) });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.StartsWith($"All {report.Leaderboard.Count} trials failed: scripted failure", report.Error);
        Assert.NotEmpty(report.Leaderboard);
        Assert.DoesNotContain(WorkflowNames.DeployChampion, script.Calls);
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
