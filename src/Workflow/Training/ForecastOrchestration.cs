using Microsoft.DurableTask;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// TrainModel for task=forecast: PrepareForecast, then the forecasting search (<see cref="ForecastSearch"/>) with each
/// candidate's folds as parallel RunForecastFold activities combined into its backtest, then DeployForecaster. Like the
/// tabular search it continues in a fresh history every so many activities, from a compact checkpoint. Deterministic:
/// time comes from the context, data stays in blob storage, only names and error sums pass through here.
/// </summary>
internal static class ForecastOrchestration
{
    private static readonly string TaskName = MlTask.Forecast.ToString().ToLowerInvariant();
    private static readonly string MetricName = MetricCatalog.Default(MlTask.Forecast);

    /// <returns>The report, or null when the run continued in a fresh history.</returns>
    public static async Task<TrainingReport?> TrainAsync(TaskOrchestrationContext context, TrainModelInput input, int activitiesPerHistory)
    {
        var (request, checkpoint, runId) = (input.Request, input.ForecastCheckpoint, context.InstanceId);
        var startedAt = checkpoint?.StartedAt ?? context.CurrentUtcDateTime;
        var progress = new RunProgress { Stage = RunStage.Profiling, Dataset = request.Dataset, Task = TaskName, Timeline = checkpoint?.Timeline ?? [] };

        ForecastProfile profile;
        if (checkpoint is not null)
            profile = checkpoint.Profile;
        else
        {
            context.SetCustomStatus(progress);
            try
            {
                profile = await context.PrepareForecastAsync(new PrepareInput(runId, request) { BudgetStartedAt = startedAt });
            }
            catch (TaskFailedException e)
            {
                return TrainModelOrchestrator.Failed(request, context, startedAt, e.FailureDetails.ErrorMessage);
            }
        }

        progress = progress with { Stage = RunStage.Searching, Metric = MetricName, Label = profile.Target, Rows = profile.Rows,
            Horizon = profile.Horizon, Folds = profile.Folds };
        context.SetCustomStatus(progress);
        var executor = new ActivityCandidateExecutor(context, runId, profile.Folds, checkpoint?.FoldsPerWorker ?? new Dictionary<string, int>());
        var search = await ForecastSearch.RunAsync(profile, executor, () => context.CurrentUtcDateTime, checkpoint?.Search,
            Math.Max(1, activitiesPerHistory / profile.Folds), found =>
            {
                progress = progress with
                {
                    TrialsDone = found.TrialsDone, TrialsFailed = found.TrialsFailed,
                    BestScore = found.BestScore, BestLearner = found.BestLearner,
                    ElapsedSeconds = found.ElapsedSeconds, BudgetSeconds = found.BudgetSeconds,
                    TrialsPerWorker = executor.FoldsPerWorker,
                    Timeline = TrialTimeline.Append(progress.Timeline, executor.TakeFinished().Select(r => Trial(r, Family(r.Method))),
                        found.ElapsedSeconds, MetricName),
                };
                context.SetCustomStatus(progress);
            });
        var histories = (checkpoint?.Histories ?? 0) + 1;
        if (!search.Finished)
        {
            var next = new ForecastCheckpoint(startedAt, profile, search, histories) { FoldsPerWorker = executor.FoldsPerWorker, Timeline = progress.Timeline };
            context.ContinueAsNew(input with { ForecastCheckpoint = next }, preserveUnprocessedEvents: false);
            return null;
        }

        var candidates = search.History;
        var leaderboard = Leaderboard.Rank([.. candidates.Select(r => Trial(r, r.Method.Describe()))], MetricName);
        var stats = Stats(profile, search, (context.CurrentUtcDateTime - search.StartedAt).TotalSeconds, executor.FoldsPerWorker, histories);
        if (candidates.All(c => c.Mase is null))
        {
            var reasons = candidates.Select(c => c.Error).Where(e => e is not null).Distinct().Take(3);
            return TrainModelOrchestrator.Failed(request, context, startedAt, $"All {candidates.Count} forecasting candidates failed: {string.Join(" | ", reasons)}")
                with { Leaderboard = leaderboard, Search = stats };
        }

        context.SetCustomStatus(progress with { Stage = RunStage.Deploying, ElapsedSeconds = TrainModelOrchestrator.Elapsed(context, startedAt) });
        DeployOutput deployed;
        try
        {
            deployed = await context.DeployForecasterAsync(new DeployForecasterInput(runId, startedAt, request, profile, candidates));
        }
        catch (TaskFailedException e)
        {
            return TrainModelOrchestrator.Failed(request, context, startedAt, "Deploying the forecaster failed: " + e.FailureDetails.ErrorMessage)
                with { Leaderboard = leaderboard, Search = stats };
        }

        context.SetCustomStatus(progress with { Stage = RunStage.Done, ElapsedSeconds = TrainModelOrchestrator.Elapsed(context, startedAt) });
        return TrainModelOrchestrator.Succeeded(request, context, startedAt, TaskName, deployed, leaderboard, stats);
    }

    /// <summary>A candidate as a run's records show trials: its backtest MASE the score, its error measures the metrics.</summary>
    private static TrialResult Trial(CandidateResult result, string learner)
    {
        var metrics = result.Totals.Metrics();
        return new TrialResult
        {
            TrialId = result.CandidateId, Learner = learner, Params = new Dictionary<string, double>(), Status = result.Status,
            Score = result.Mase, Seconds = result.Seconds, Error = result.Error,
            Metrics = result.Mase is { } mase
                ? new Dictionary<string, double> { [MetricName] = mase, ["mae"] = metrics.Mae, ["rmse"] = metrics.Rmse, ["smape"] = metrics.Smape }
                : new Dictionary<string, double>(),
        };
    }

    /// <summary>A short name for the timeline, which travels in the custom status and must stay small.</summary>
    private static string Family(ForecastMethod method) => method switch
    {
        SeasonalNaiveMethod { Period: 1 } => "naive",
        SeasonalNaiveMethod => "seasonal naive",
        ExponentialSmoothingMethod => "ets",
        ArimaMethod => "arima",
        TreeRegressionMethod trees => trees.Learner.ToString().ToLowerInvariant(),
        _ => method.GetType().Name,
    };

    private static SearchStats Stats(ForecastProfile profile, ForecastSearchState search, double seconds,
        IReadOnlyDictionary<string, int> foldsPerWorker, int histories)
    {
        var foldsAtOnce = profile.ParallelCandidates * profile.Folds;
        return new SearchStats
        {
            ParallelTrials = foldsAtOnce,
            Seconds = Math.Round(seconds, 1),
            Activities = search.History.Count * profile.Folds,
            Histories = histories,
            SlotUtilization = seconds > 0 ? Math.Round(search.History.Sum(r => r.Seconds) / (foldsAtOnce * seconds), 3) : 0,
            TrialsPerWorker = foldsPerWorker,
        };
    }

    /// <summary>
    /// A candidate's folds as parallel RunForecastFold activities, combined into its backtest; it counts where they ran.
    /// A fold whose activity fails outright fails its candidate, not the run.
    /// </summary>
    private sealed class ActivityCandidateExecutor(TaskOrchestrationContext context, string runId, int folds, IReadOnlyDictionary<string, int> foldsPerWorker)
        : ICandidateExecutor
    {
        private readonly Dictionary<string, int> _foldsPerWorker = new(foldsPerWorker);
        private readonly List<CandidateResult> _finished = [];

        public IReadOnlyDictionary<string, int> FoldsPerWorker => new Dictionary<string, int>(_foldsPerWorker);

        public async Task<IReadOnlyList<CandidateResult>> RunAsync(IReadOnlyList<ForecastCandidate> candidates)
        {
            var results = await Task.WhenAll(candidates.Select(async candidate =>
                CandidateResult.Combine(await Task.WhenAll(Enumerable.Range(0, folds).Select(fold => RunFoldAsync(candidate, fold))))));
            _finished.AddRange(results);
            return results;
        }

        /// <summary>The candidates that came back since the last call, for the timeline.</summary>
        public IReadOnlyList<CandidateResult> TakeFinished()
        {
            var finished = _finished.ToList();
            _finished.Clear();
            return finished;
        }

        private async Task<CandidateResult> RunFoldAsync(ForecastCandidate candidate, int fold)
        {
            try
            {
                var output = await context.RunForecastFoldAsync(new ForecastFoldInput(runId, candidate, fold));
                _foldsPerWorker[output.Worker] = _foldsPerWorker.GetValueOrDefault(output.Worker) + 1;
                return output.Result;
            }
            catch (TaskFailedException e)
            {
                return new CandidateResult
                {
                    CandidateId = candidate.Id, Method = candidate.Method, Status = TrialStatus.Failed, Folds = [fold], Error = e.FailureDetails.ErrorMessage,
                };
            }
        }
    }
}
