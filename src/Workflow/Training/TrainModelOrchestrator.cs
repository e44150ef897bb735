using Microsoft.DurableTask;
using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Profile the upload, run the AutoML search with its slots as parallel RunTrials activities (short trials bundled),
/// deploy the best model (when every trial failed, the cheapest configuration Finish trains itself); a forecast (task=forecast) goes its own way, <see cref="ForecastOrchestration"/>. Every so many activities the search continues in a fresh history
/// (ContinueAsNew) from a compact checkpoint, so a step costs the same at the end of a long run as at its start.
/// Deterministic: time comes from the context, data stays in blob storage, only names and scores pass through here.
/// </summary>
/// <param name="activitiesPerHistory">
/// Trial activities per orchestration history. The search drains its slots before it continues in a fresh history,
/// so fewer means more drains; more means a longer replay at every step.
/// </param>
public sealed class TrainModelOrchestrator(int activitiesPerHistory = TrainModelOrchestrator.DefaultActivitiesPerHistory)
    : TaskOrchestrator<TrainModelInput, TrainingReport?>
{
    public const int DefaultActivitiesPerHistory = 100;

    /// <returns>The report, or null when the run continued in a fresh history.</returns>
    public override async Task<TrainingReport?> RunAsync(TaskOrchestrationContext context, TrainModelInput input)
    {
        var report = await TrainAsync(context, input);
        if (report is not null)
            await context.RecordRunAsync(new RecordRunInput(context.InstanceId, report));
        return report;
    }

    private async Task<TrainingReport?> TrainAsync(TaskOrchestrationContext context, TrainModelInput input)
    {
        if (input.Request.Spec.Task == MlTask.Forecast)
            return await ForecastOrchestration.TrainAsync(context, input, activitiesPerHistory);
        var (request, checkpoint, runId) = (input.Request, input.Checkpoint, context.InstanceId);
        var startedAt = checkpoint?.StartedAt ?? context.CurrentUtcDateTime;
        var progress = new RunProgress { Stage = RunStage.Profiling, Dataset = request.Dataset, Timeline = checkpoint?.Timeline ?? [] };

        DatasetProfile profile;
        if (checkpoint is not null)
            profile = checkpoint.Profile;
        else
        {
            context.SetCustomStatus(progress);
            try
            {
                profile = (await context.PrepareDatasetAsync(new PrepareInput(runId, request) { BudgetStartedAt = startedAt })).Profile;
            }
            catch (TaskFailedException e)
            {
                return Failed(request, context, startedAt, e.FailureDetails.ErrorMessage);
            }
        }

        progress = progress with
        {
            Stage = RunStage.Searching, Task = profile.Task.ToString().ToLowerInvariant(), Metric = profile.Metric,
            Label = profile.Label, Rows = profile.Rows,
        };
        context.SetCustomStatus(progress);

        var executor = new ActivityTrialExecutor(context, runId, checkpoint?.Ledger ?? new TrialLedger());
        var search = await SearchLoop.RunAsync(
            profile,
            executor,
            () => context.CurrentUtcDateTime,
            new SearchOptions { CallsPerSegment = activitiesPerHistory, Proposals = input.Proposals },
            checkpoint?.Search,
            found =>
            {
                progress = progress with
                {
                    TrialsDone = found.TrialsDone, TrialsFailed = found.TrialsFailed,
                    BestScore = found.BestScore, BestLearner = found.BestLearner,
                    ElapsedSeconds = found.ElapsedSeconds, BudgetSeconds = found.BudgetSeconds,
                    TrialsPerWorker = executor.Ledger.TrialsPerWorker,
                    Timeline = TrialTimeline.Append(progress.Timeline, found.Finished, found.ElapsedSeconds, profile.Metric),
                };
                context.SetCustomStatus(progress);
            });
        var histories = (checkpoint?.Histories ?? 0) + 1;
        // The ledger keeps only the bundles of the trials the search kept, so the checkpoint and Finish's input stay bounded too.
        var ledger = executor.Ledger with { Bundles = executor.Ledger.Bundles.Keeping(search.History.Select(t => t.TrialId)) };
        if (!search.Finished)
        {
            context.ContinueAsNew(input with { Checkpoint = new SearchCheckpoint(startedAt, profile, search, ledger, histories) { Timeline = progress.Timeline } },
                preserveUnprocessedEvents: false);
            return null;
        }

        var trials = search.History;
        var stats = Stats(profile, search, ledger, histories);
        var counts = search.Counts;
        context.SetCustomStatus(progress with { Stage = RunStage.Deploying, ElapsedSeconds = Elapsed(context, startedAt) });
        DeployOutput deployed;
        try
        {
            deployed = await context.DeployChampionAsync(new DeployInput(runId, startedAt, request, trials, ledger.Bundles, counts));
        }
        catch (TaskFailedException e)
        {
            // With no trial to deploy, Finish trained the cheapest configurations itself: both reasons matter.
            var failure = counts.Succeeded == 0
                ? $"All {counts.Trials} trials failed ({string.Join(" | ", trials.Select(t => t.Error).OfType<string>().Distinct().Take(3))}), and so did training the cheapest configuration after them: "
                : "Deploying the champion failed: ";
            return Failed(request, context, startedAt, failure + e.FailureDetails.ErrorMessage) with { Leaderboard = trials, Search = stats };
        }

        context.SetCustomStatus(progress with { Stage = RunStage.Done, ElapsedSeconds = Elapsed(context, startedAt) });
        return Succeeded(request, context, startedAt, progress.Task, deployed, Leaderboard.Rank(trials, deployed.Card.Metric), stats)
            with { Trials = counts.Trials, TrialsFailed = counts.Trials - counts.Succeeded };
    }

    /// <summary>The report of a run that deployed its model (a forecast's card carries the forecaster's own).</summary>
    internal static TrainingReport Succeeded(TrainingRequest request, TaskOrchestrationContext context, DateTime startedAt, string? task,
        DeployOutput deployed, IReadOnlyList<TrialResult> leaderboard, SearchStats stats)
    {
        var card = deployed.Card;
        return new TrainingReport
        {
            Status = RunStatus.Succeeded,
            Dataset = request.Dataset,
            BlobName = request.BlobName,
            Task = task,
            Metric = card.Metric,
            Label = card.Schema.Label,
            ModelVersion = deployed.Version,
            Promoted = deployed.Promoted,
            PromotionReason = deployed.Reason,
            CvScore = card.CvScore,
            Ensemble = card.Ensemble,
            Trials = leaderboard.Count,
            TrialsFailed = leaderboard.Count(t => t.Status != TrialStatus.Succeeded),
            Leaderboard = leaderboard,
            Seconds = Elapsed(context, startedAt),
            Search = stats,
            Forecast = card.Forecast,
        };
    }

    private static SearchStats Stats(DatasetProfile profile, SearchState search, TrialLedger ledger, int histories) => new()
    {
        ParallelTrials = profile.ParallelTrials,
        Seconds = search.ElapsedSeconds,
        Activities = search.Completed,
        Histories = histories,
        SlotUtilization = search.ElapsedSeconds > 0
            ? Math.Round(search.TrialSeconds / (profile.ParallelTrials * search.ElapsedSeconds), 3)
            : 0,
        TrialsPerWorker = ledger.TrialsPerWorker,
    };

    internal static double Elapsed(TaskOrchestrationContext context, DateTime startedAt) =>
        Math.Round((context.CurrentUtcDateTime - startedAt).TotalSeconds, 1);

    internal static TrainingReport Failed(TrainingRequest request, TaskOrchestrationContext context, DateTime startedAt, string error)
    {
        context.SetCustomStatus(new RunProgress { Stage = RunStage.Failed, Dataset = request.Dataset, ElapsedSeconds = Elapsed(context, startedAt) });
        return new TrainingReport
        {
            Status = RunStatus.Failed,
            Dataset = request.Dataset,
            BlobName = request.BlobName,
            Error = error,
            Seconds = Elapsed(context, startedAt),
        };
    }

    /// <summary>
    /// A slot's trials as one RunTrials activity; it keeps the ledger of where they ran. A bundle whose activity fails
    /// outright is recorded as failed trials, not fatal.
    /// </summary>
    private sealed class ActivityTrialExecutor(TaskOrchestrationContext context, string runId, TrialLedger ledger) : ITrialExecutor
    {
        public TrialLedger Ledger { get; private set; } = ledger;

        public bool CallsAreRemote => true;

        public async Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            Ledger = Ledger.Dispatched(trials[0].Id);
            try
            {
                var output = await context.RunTrialsAsync(new TrialBundleInput(runId, trials));
                Ledger = Ledger.Ran(output.Worker, output.Results.Count);
                return output.Results;
            }
            catch (TaskFailedException e)
            {
                return [.. trials.Select(config => new TrialResult
                {
                    TrialId = config.Id, Learner = config.Learner, Params = config.Params,
                    Status = TrialStatus.Failed, Error = e.FailureDetails.ErrorMessage,
                })];
            }
        }
    }
}
