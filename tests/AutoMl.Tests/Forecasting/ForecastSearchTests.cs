using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

public sealed class ForecastSearchTests
{
    /// <summary>Scores a method by a fixed function of it; each call moves the clock half a second.</summary>
    private sealed class FakeExecutor(Action<double> advance) : ICandidateExecutor
    {
        public List<ForecastCandidate> Seen { get; } = [];

        public Task<IReadOnlyList<CandidateResult>> RunAsync(IReadOnlyList<ForecastCandidate> candidates)
        {
            Seen.AddRange(candidates);
            advance(0.5);
            return Task.FromResult<IReadOnlyList<CandidateResult>>([.. candidates.Select(c => new CandidateResult
            {
                CandidateId = c.Id, Method = c.Method, Status = TrialStatus.Succeeded, Folds = [0, 1],
                Totals = new ErrorTotals(10, 1, 1, 1, c.Method is TreeRegressionMethod t ? 5 + Math.Abs(t.Lags - 9) + t.LearningRate : 8),
                Seconds = 1,
            })]);
        }
    }

    private static ForecastProfile Profile(int seed) => new()
    {
        TimeColumn = "t", Target = "y", Frequency = SeriesFrequency.Monthly, SeasonalPeriod = 12, Horizon = 12, Folds = 2, FoldStride = 12,
        Series = [new SeriesProfile { Points = 200, Start = new DateTime(2000, 1, 1), End = new DateTime(2016, 8, 1) }],
        PositiveTarget = true, Rows = 200, BudgetSeconds = 60, Seed = seed, ParallelCandidates = 2, CandidateTimeoutSeconds = 15, PrepareSeconds = 0,
    };

    private static async Task<List<ForecastCandidate>> Search(int seed)
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var executor = new FakeExecutor(s => now = now.AddSeconds(s));
        await ForecastSearch.RunAsync(Profile(seed), executor, () => now);
        return executor.Seen;
    }

    [Fact]
    public async Task The_search_is_deterministic_for_a_seed_and_starts_with_the_baselines_and_every_ets()
    {
        var first = await Search(seed: 1);
        Assert.Equal(first, await Search(seed: 1));
        Assert.NotEqual(first.Select(c => c.Method), (await Search(seed: 2)).Select(c => c.Method));

        Assert.Equal([new SeasonalNaiveMethod(12), new SeasonalNaiveMethod(1)], first.Take(2).Select(c => c.Method));
        Assert.Equal(9, first.Skip(2).Take(9).Count(c => c.Method is ExponentialSmoothingMethod));
        Assert.Equal(first.Count, first.Select(c => c.Method).Distinct().Count());
    }

    [Fact]
    public async Task Local_search_moves_toward_better_tree_configurations_within_the_budget()
    {
        var seen = await Search(seed: 1);
        var trees = seen.Select(c => c.Method).OfType<TreeRegressionMethod>().ToList();
        Assert.True(trees.Count > 10, $"{trees.Count} tree candidates");
        // The fake score is best at 9 lags: the search's best finds it or comes close from the default (12).
        Assert.InRange(trees.MinBy(t => Math.Abs(t.Lags - 9) + t.LearningRate)!.Lags, 8, 10);
        // Fake seconds: 0.5 per candidate, and no candidate starts after 75% of the 60 s budget.
        Assert.True(seen.Count <= 0.75 * 60 / 0.5 + 2);
    }

    [Fact]
    public async Task A_search_run_in_segments_goes_on_from_its_state_and_proposes_each_candidate_once()
    {
        async Task<(List<ForecastCandidate> Seen, int Segments)> Segmented()
        {
            var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var executor = new FakeExecutor(s => now = now.AddSeconds(s));
            ForecastSearchState? state = null;
            var segments = 0;
            do
            {
                state = await ForecastSearch.RunAsync(Profile(1), executor, () => now, state, candidatesPerSegment: 4);
                segments++;
            }
            while (!state.Finished);
            Assert.Equal(executor.Seen.Select(c => c.Id), state.History.Select(r => r.CandidateId).Order());
            return (executor.Seen, segments);
        }

        var (seen, segments) = await Segmented();
        Assert.Equal(Enumerable.Range(1, seen.Count), seen.Select(c => c.Id));
        Assert.Equal(seen.Count, seen.Select(c => c.Method).Distinct().Count());
        Assert.True(segments >= seen.Count / 4, $"{seen.Count} candidates in {segments} segments");
        Assert.Equal(seen, (await Segmented()).Seen);
        Assert.Equal((await Search(seed: 1)).Take(11).Select(c => c.Method), seen.Take(11).Select(c => c.Method));
    }
}
