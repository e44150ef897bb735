using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

/// <summary>The per-trial timeline a run's progress carries: complete while small, bounded after, never losing an improvement.</summary>
public sealed class TrialTimelineTests
{
    private static TrialResult Trial(int id, double? auc, TrialStatus status = TrialStatus.Succeeded) => new()
    {
        TrialId = id, Learner = id % 2 == 0 ? "FastTree" : "LightGbm", Params = new Dictionary<string, double>(), Status = status, Score = auc,
    };

    [Fact]
    public void A_short_search_keeps_every_trial_with_its_time_learner_score_and_status()
    {
        var timeline = TrialTimeline.Append([], [Trial(1, 0.71234567), Trial(2, null, TrialStatus.TimedOut)], 1.26, "auc");
        timeline = TrialTimeline.Append(timeline, [Trial(3, 0.7)], 2.5, "auc");

        Assert.Equal(
            [new TrialPoint(1.3, 1, "LightGbm", 0.712346, TrialStatus.Succeeded), new TrialPoint(1.3, 2, "FastTree", null, TrialStatus.TimedOut),
             new TrialPoint(2.5, 3, "LightGbm", 0.7, TrialStatus.Succeeded)],
            timeline);
    }

    [Theory]
    [InlineData("auc")]
    [InlineData("rmse")]
    public void A_long_search_stays_bounded_keeps_every_improvement_and_spans_the_whole_search(string metric)
    {
        // Scores scatter around a slowly rising level; now and then one sets a new best (for rmse the mirror image).
        var trials = Enumerable.Range(1, 1000).Select(id =>
        {
            var quality = 0.7 + id * 7919 % 101 / 1010.0 + 0.05 * (1 - 1 / Math.Sqrt(id));
            return Trial(id, metric == "rmse" ? 2 - quality : quality, id % 7 == 0 ? TrialStatus.Failed : TrialStatus.Succeeded);
        }).ToList();
        IReadOnlyList<TrialPoint> timeline = [];
        foreach (var pair in trials.Chunk(2))
            timeline = TrialTimeline.Append(timeline, pair, pair[0].TrialId / 10.0, metric);

        Assert.InRange(timeline.Count, TrialTimeline.MaxPoints / 2, TrialTimeline.MaxPoints);
        var best = double.NegativeInfinity;
        foreach (var trial in trials.Where(t => t.Status == TrialStatus.Succeeded))
        {
            var gain = MetricCatalog.Gain(metric, trial.Score!.Value);
            if (gain <= best) continue;
            best = gain;
            Assert.Contains(timeline, p => p.Trial == trial.TrialId);
        }
        Assert.True(timeline[0].Trial <= 2, "the start of the search is shown");
        Assert.True(timeline[^1].Trial >= 990, "the end of the search is shown");
        Assert.Contains(timeline, p => p.Status == TrialStatus.Failed);
        Assert.Equal(timeline.OrderBy(p => p.Trial), timeline);
    }

    [Fact]
    public void A_search_that_improves_on_every_trial_keeps_its_latest_improvements_within_the_bound()
    {
        IReadOnlyList<TrialPoint> timeline = [];
        for (var id = 1; id <= 3 * TrialTimeline.MaxPoints; id++)
            timeline = TrialTimeline.Append(timeline, [Trial(id, id / 1000.0)], id, "auc");

        Assert.Equal(TrialTimeline.MaxPoints, timeline.Count);
        Assert.Equal(3 * TrialTimeline.MaxPoints, timeline[^1].Trial);
    }
}
