using Cronos;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;

namespace Serverless.LocalHost;

/// <summary>The local twin of the Retrain timer function: the same NCRONTAB schedule setting (with or without seconds).</summary>
public sealed class RetrainTimer(RetrainPlanner planner, ITrainingRuns runs, IConfiguration configuration, TimeProvider time, ILogger<RetrainTimer> logger)
    : BackgroundService
{
    public static CronExpression ParseSchedule(string schedule) =>
        CronExpression.Parse(schedule, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = ParseSchedule(configuration["RetrainSchedule"] ?? "0 0 3 * * *");
        while (schedule.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc) is { } next)
        {
            var wait = next - time.GetUtcNow();
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            try
            {
                await planner.RetrainStaleAsync(runs, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduled retrain failed");
            }
        }
    }
}
