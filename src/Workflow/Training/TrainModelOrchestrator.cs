using Microsoft.DurableTask;
using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Profile the upload, run the AutoML search with its slots as parallel RunTrial activities, deploy the best model.
/// Deterministic: time comes from the context, data stays in blob storage, only names and scores pass through here.
/// </summary>
public sealed class TrainModelOrchestrator : TaskOrchestrator<TrainingRequest, TrainingReport>
{
    public override async Task<TrainingReport> RunAsync(TaskOrchestrationContext context, TrainingRequest request)
    {
        var report = await TrainAsync(context, request);
        await context.RecordRunAsync(new RecordRunInput(context.InstanceId, report));
        return report;
    }

    private static async Task<TrainingReport> TrainAsync(TaskOrchestrationContext context, TrainingRequest request)
    {
        var startedAt = context.CurrentUtcDateTime;
        var runId = context.InstanceId;
        var progress = new RunProgress { Stage = RunStage.Profiling, Dataset = request.Dataset };
        context.SetCustomStatus(progress);

        DatasetProfile profile;
        try
        {
            profile = (await context.PrepareDatasetAsync(new PrepareInput(runId, request))).Profile;
        }
        catch (TaskFailedException e)
        {
            return Failed(request, context, startedAt, e.FailureDetails.ErrorMessage);
        }

        progress = progress with
        {
            Stage = RunStage.Searching, Task = profile.Task.ToString().ToLowerInvariant(), Metric = profile.Metric,
            Label = profile.Label, Rows = profile.Rows,
        };
        context.SetCustomStatus(progress);

        var trials = await SearchLoop.RunAsync(
            profile,
            new ActivityTrialExecutor(context, runId),
            () => context.CurrentUtcDateTime,
            search =>
            {
                progress = progress with
                {
                    TrialsDone = search.TrialsDone, TrialsFailed = search.TrialsFailed,
                    BestScore = search.BestScore, BestLearner = search.BestLearner,
                    ElapsedSeconds = search.ElapsedSeconds, BudgetSeconds = search.BudgetSeconds,
                    Timeline = TrialTimeline.Append(progress.Timeline, search.Finished, search.ElapsedSeconds, profile.Metric),
                };
                context.SetCustomStatus(progress);
            });

        var failedTrials = trials.Count(t => t.Status != TrialStatus.Succeeded);
        if (failedTrials == trials.Count)
        {
            var reasons = trials.Select(t => t.Error).Where(e => e is not null).Distinct().Take(3);
            return Failed(request, context, startedAt, $"All {trials.Count} trials failed: {string.Join(" | ", reasons)}") with { Leaderboard = trials };
        }

        context.SetCustomStatus(progress with { Stage = RunStage.Deploying, ElapsedSeconds = Elapsed(context, startedAt) });
        DeployOutput deployed;
        try
        {
            deployed = await context.DeployChampionAsync(new DeployInput(runId, startedAt, request, trials));
        }
        catch (TaskFailedException e)
        {
            return Failed(request, context, startedAt, "Deploying the champion failed: " + e.FailureDetails.ErrorMessage) with { Leaderboard = trials };
        }

        context.SetCustomStatus(progress with { Stage = RunStage.Done, ElapsedSeconds = Elapsed(context, startedAt) });
        var card = deployed.Card;
        return new TrainingReport
        {
            Status = RunStatus.Succeeded,
            Dataset = request.Dataset,
            BlobName = request.BlobName,
            Task = progress.Task,
            Metric = card.Metric,
            Label = card.Schema.Label,
            ModelVersion = deployed.Version,
            Promoted = deployed.Promoted,
            PromotionReason = deployed.Reason,
            CvScore = card.CvScore,
            Ensemble = card.Ensemble,
            Trials = trials.Count,
            TrialsFailed = failedTrials,
            Leaderboard = Leaderboard.Rank(trials, card.Metric),
            Seconds = Elapsed(context, startedAt),
        };
    }

    private static double Elapsed(TaskOrchestrationContext context, DateTime startedAt) =>
        Math.Round((context.CurrentUtcDateTime - startedAt).TotalSeconds, 1);

    private static TrainingReport Failed(TrainingRequest request, TaskOrchestrationContext context, DateTime startedAt, string error)
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

    /// <summary>A slot's trials as activities, one after another. A trial whose activity fails outright is recorded, not fatal.</summary>
    private sealed class ActivityTrialExecutor(TaskOrchestrationContext context, string runId) : ITrialExecutor
    {
        public async Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            var results = new List<TrialResult>();
            foreach (var config in trials)
                results.Add(await RunOneAsync(config));
            return results;
        }

        private async Task<TrialResult> RunOneAsync(TrialConfig config)
        {
            try
            {
                return await context.RunTrialAsync(new TrialInput(runId, config));
            }
            catch (TaskFailedException e)
            {
                return new TrialResult
                {
                    TrialId = config.Id, Learner = config.Learner, Params = config.Params,
                    Status = TrialStatus.Failed, Error = e.FailureDetails.ErrorMessage,
                };
            }
        }
    }
}
