using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Tests.Shared;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

/// <summary>
/// TrainModel for task=forecast on the Durable Task SDK's in-process test host (real scheduling, history and replay),
/// with scripted activities standing in for the forecasting engine, so each branch of a forecast run can be forced.
/// </summary>
public sealed class ForecastOrchestrationTests
{
    private const int Folds = 4;

    private static readonly TrainingRequest Request = new()
    {
        Dataset = "sales", BlobName = "sales/monthly.csv", DataHash = "md5:abc",
        Spec = new TrainingSpec { Task = MlTask.Forecast, Horizon = 6 },
    };

    /// <summary>What the scripted activities do; every call is recorded.</summary>
    private sealed class Script
    {
        public Func<PrepareInput, ForecastProfile> Prepare { get; init; } = _ => Profile();
        /// <summary>A fold's backtest; by default every candidate succeeds, tree candidates best, the later the better.</summary>
        public Func<ForecastFoldInput, CandidateResult> Fold { get; init; } = input => Result(input, TrialStatus.Succeeded);
        public ConcurrentQueue<string> Calls { get; } = new();
        public ConcurrentQueue<ForecastFoldInput> Folds { get; } = new();
        public ConcurrentQueue<DeployForecasterInput> Deployed { get; } = new();
        public ConcurrentQueue<TrainingReport> Recorded { get; } = new();
        public RunProgress? FinalProgress { get; set; }
    }

    private static ForecastProfile Profile() => new()
    {
        TimeColumn = "month", Target = "sales", Frequency = SeriesFrequency.Monthly, SeasonalPeriod = 12, Horizon = 6, Folds = Folds, FoldStride = 6,
        Series = [new SeriesProfile { Points = 144, Start = new DateTime(2000, 1, 31), End = new DateTime(2011, 12, 31) }],
        PositiveTarget = true, Rows = 144, BudgetSeconds = 5, Seed = 1, ParallelCandidates = 2, CandidateTimeoutSeconds = 5, PrepareSeconds = 0,
    };

    private static CandidateResult Result(ForecastFoldInput input, TrialStatus status) => new()
    {
        CandidateId = input.Candidate.Id, Method = input.Candidate.Method, Status = status, Folds = [input.Fold], Seconds = 0.05,
        Totals = status == TrialStatus.Succeeded
            ? new ErrorTotals(6, 6, 6, 0.1, 6 * (input.Candidate.Method is TreeRegressionMethod ? 0.5 : 1) / (1 + 0.01 * input.Candidate.Id))
            : ErrorTotals.Empty,
        Error = status == TrialStatus.Succeeded ? null : "scripted failure",
    };

    private static ForecastCard Card(IReadOnlyList<CandidateResult> candidates)
    {
        var best = candidates.Where(c => c.Mase is not null).MinBy(c => c.Mase)!;
        return new ForecastCard
        {
            Target = "sales", TimeColumn = "month",
            Input = new ForecastInputSchema { Horizon = 6, Frequency = SeriesFrequency.Monthly, Series = [new SeriesInput(null, new DateTime(2011, 12, 31))] },
            SeasonalPeriod = 12, Members = [new ForecastMember(best.CandidateId, best.Method, 1)], Description = best.Method.Describe(), Folds = Folds,
            Backtest = best.Totals.Metrics(), Coverage = new IntervalCoverage(0.8, 0.95, 24), Candidates = candidates.Count, Rows = 144,
        };
    }

    private static DeployOutput Deploy(DeployForecasterInput input)
    {
        var card = Card(input.Candidates);
        return new DeployOutput("v1", true, "first model for this dataset", new ModelCard
        {
            Schema = new ModelSchema { Label = "sales", Task = MlTask.Forecast, Columns = [] },
            Metric = "mase", CvScore = card.Backtest.Mase, Learner = card.Description, Forecast = card,
        });
    }

    private static async Task<(TrainingReport Report, Script Script)> RunAsync(Script script, int activitiesPerHistory = TrainModelOrchestrator.DefaultActivitiesPerHistory)
    {
        await using var host = await DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestrator(WorkflowNames.TrainModel, () => new TrainModelOrchestrator(activitiesPerHistory));
            tasks.AddActivityFunc<PrepareInput, ForecastProfile>(WorkflowNames.PrepareForecast, (_, input) =>
            {
                script.Calls.Enqueue(WorkflowNames.PrepareForecast);
                return script.Prepare(input);
            });
            tasks.AddActivityFunc<ForecastFoldInput, ForecastFoldOutput>(WorkflowNames.RunForecastFold, (_, input) =>
            {
                script.Folds.Enqueue(input);
                return new ForecastFoldOutput($"worker-{input.Fold % 2}", script.Fold(input));
            });
            tasks.AddActivityFunc<DeployForecasterInput, DeployOutput>(WorkflowNames.DeployForecaster, (_, input) =>
            {
                script.Calls.Enqueue(WorkflowNames.DeployForecaster);
                script.Deployed.Enqueue(input);
                return Deploy(input);
            });
            tasks.AddActivityFunc<RecordRunInput, bool>(WorkflowNames.RecordRun, (_, record) =>
            {
                script.Recorded.Enqueue(record.Report);
                return true;
            });
        }, new DurableTaskTestHostOptions { Port = Repo.FreePort() });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.TrainModel, new TrainModelInput(Request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var instance = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        script.FinalProgress = instance.ReadCustomStatusAs<RunProgress>();
        return (instance.ReadOutputAs<TrainingReport>()!, script);
    }

    [Fact]
    public async Task A_forecast_backtests_every_candidate_on_every_fold_as_activities_and_deploys_the_forecaster()
    {
        var (report, script) = await RunAsync(new Script());

        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal("forecast", report.Task);
        Assert.Equal("mase", report.Metric);
        Assert.Equal("sales", report.Label);
        Assert.Equal("v1", report.ModelVersion);
        Assert.Equal([WorkflowNames.PrepareForecast, WorkflowNames.DeployForecaster], script.Calls);
        Assert.True(report.Trials >= 3, $"{report.Trials} candidates");
        Assert.Equal([new SeasonalNaiveMethod(12), new SeasonalNaiveMethod(1)], Assert.Single(script.Deployed).Candidates
            .OrderBy(c => c.CandidateId).Take(2).Select(c => c.Method));
        // Each candidate ran once on each fold, and its folds were combined into one backtest.
        var folds = script.Folds.GroupBy(f => f.Candidate.Id).ToList();
        Assert.Equal(report.Trials, folds.Count);
        Assert.All(folds, g => Assert.Equal(Enumerable.Range(0, Folds), g.Select(f => f.Fold).Order()));
        var deployed = Assert.Single(script.Deployed);
        Assert.Equal(Enumerable.Range(1, report.Trials), deployed.Candidates.Select(c => c.CandidateId).Order());
        Assert.All(deployed.Candidates, c => Assert.Equal(Enumerable.Range(0, Folds), c.Folds));
        // The leaderboard lists candidates best (lowest backtest MASE) first, and the report carries the forecaster's card.
        Assert.Equal(report.Leaderboard.Min(t => t.Score), report.Leaderboard[0].Score);
        Assert.Equal(report.CvScore, report.Forecast?.Backtest.Mase);
        Assert.Equal(0.8, report.Forecast?.Coverage.Coverage80);
        var search = Assert.IsType<SearchStats>(report.Search);
        Assert.Equal(report.Trials * Folds, search.Activities);
        Assert.Equal(report.Trials * Folds, search.TrialsPerWorker.Values.Sum());
        var progress = Assert.IsType<RunProgress>(script.FinalProgress);
        Assert.Equal(RunStage.Done, progress.Stage);
        Assert.Equal("forecast", progress.Task);
        Assert.Equal(report.Trials, progress.TrialsDone);
        Assert.Contains(progress.Timeline, p => p.Learner == "seasonal naive");
        Assert.Equal(report, Assert.Single(script.Recorded), ReportComparer);
    }

    [Fact]
    public async Task A_forecast_whose_data_cannot_be_prepared_fails_with_the_reason_and_is_recorded()
    {
        var (report, script) = await RunAsync(new Script
        {
            Prepare = _ => throw new InvalidDatasetException("The file has no column of dates; name one with timecolumn."),
        });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.Contains("no column of dates", report.Error);
        Assert.Equal([WorkflowNames.PrepareForecast], script.Calls);
        Assert.Empty(script.Folds);
        Assert.Single(script.Recorded);
    }

    [Fact]
    public async Task A_fold_that_fails_fails_its_candidate_and_the_run_goes_on()
    {
        var (report, script) = await RunAsync(new Script
        {
            Fold = input => input.Candidate.Id == 3 && input.Fold == 1
                ? throw new InvalidOperationException("worker lost")
                : Result(input, TrialStatus.Succeeded),
        });

        Assert.Equal(RunStatus.Succeeded, report.Status);
        var third = Assert.Single(report.Leaderboard, t => t.TrialId == 3);
        Assert.Equal(TrialStatus.Failed, third.Status);
        Assert.Contains("worker lost", third.Error);
        Assert.Equal(1, report.TrialsFailed);
        Assert.DoesNotContain(Assert.Single(script.Deployed).Candidates, c => c.CandidateId == 3 && c.Mase is not null);
    }

    [Fact]
    public async Task A_forecast_whose_every_candidate_failed_fails_without_deploying()
    {
        var (report, script) = await RunAsync(new Script { Fold = input => Result(input, TrialStatus.TimedOut) });

        Assert.Equal(RunStatus.Failed, report.Status);
        Assert.StartsWith($"All {report.Leaderboard.Count} forecasting candidates failed: scripted failure", report.Error);
        Assert.DoesNotContain(WorkflowNames.DeployForecaster, script.Calls);
        Assert.Single(script.Recorded);
    }

    [Fact]
    public async Task A_forecast_search_longer_than_one_history_continues_in_fresh_ones_and_keeps_every_candidate()
    {
        // Two candidates' folds per history.
        var (report, script) = await RunAsync(new Script(), activitiesPerHistory: 2 * Folds);

        var search = Assert.IsType<SearchStats>(report.Search);
        Assert.True(search.Histories >= report.Trials / 2, $"{report.Trials} candidates in {search.Histories} histories");
        Assert.Equal(Enumerable.Range(1, report.Trials), report.Leaderboard.Select(t => t.TrialId).Order());
        Assert.Equal(report.Trials * Folds, script.Folds.Count);
        Assert.Equal(report.Trials, Assert.Single(script.Deployed).Candidates.Count);
        Assert.Equal([WorkflowNames.PrepareForecast, WorkflowNames.DeployForecaster], script.Calls);
        // The timeline goes on across histories: the first history's first candidate is still on it.
        Assert.Contains(Assert.IsType<RunProgress>(script.FinalProgress).Timeline, p => p.Trial == 1);
    }

    private static readonly IEqualityComparer<TrainingReport> ReportComparer =
        EqualityComparer<TrainingReport>.Create((a, b) => a?.Status == b?.Status && a?.Error == b?.Error);
}
