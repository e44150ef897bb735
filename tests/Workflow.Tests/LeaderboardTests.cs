using Serverless.AutoMl;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

public sealed class LeaderboardTests
{
    private static TrialResult Trial(int id, TrialStatus status, params (string Metric, double Value)[] metrics) => new()
    {
        TrialId = id, Learner = "lightgbm", Params = new Dictionary<string, double>(), Status = status,
        Score = metrics.Length > 0 ? metrics[0].Value : null, Metrics = metrics.ToDictionary(m => m.Metric, m => m.Value),
    };

    [Fact]
    public void Lower_is_better_metrics_rank_ascending_and_failures_come_last()
    {
        var ranked = Leaderboard.Rank(
            [Trial(1, TrialStatus.Succeeded, ("rmse", 3.0)), Trial(2, TrialStatus.Failed), Trial(3, TrialStatus.Succeeded, ("rmse", 2.5))], "rmse");
        Assert.Equal([3, 1, 2], ranked.Select(t => t.TrialId));
    }

    [Fact]
    public void Equal_accuracy_is_broken_by_log_loss_as_the_engine_does()
    {
        var ranked = Leaderboard.Rank(
        [
            Trial(1, TrialStatus.Succeeded, ("microAccuracy", 0.9), ("logloss", 0.40)),
            Trial(2, TrialStatus.Succeeded, ("microAccuracy", 0.9), ("logloss", 0.25)),
            Trial(3, TrialStatus.TimedOut),
        ], "microAccuracy");
        Assert.Equal([2, 1, 3], ranked.Select(t => t.TrialId));
    }
}
