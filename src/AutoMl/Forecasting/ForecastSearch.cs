using Serverless.AutoMl.Search;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// The forecasting search, in the engine's style: replay-safe (time only from utcNow, randomness only from the
/// profile's seed, the only awaited work the executor's), every slot kept busy. It first backtests a portfolio (the
/// naive baselines, every applicable ETS model, ARIMA, a few tree configurations), then runs a FLAML-like cost-frugal local
/// search around the best tree configuration until the budget is spent or the step has shrunk away.
/// </summary>
public static class ForecastSearch
{
    /// <summary>Share of the budget after which no candidate starts; the rest is for running ones and Finish.</summary>
    public const double ProposeUntil = 0.75;
    /// <summary>Share of the budget by which started candidates are expected to end.</summary>
    public const double CandidatesEndBy = 0.85;

    private const double InitialStep = 0.2;
    private const double MinStep = 0.02;
    /// <summary>Candidates whose estimated cost exceeds the time left are not started.</summary>
    private const double CostSafety = 1.2;

    public static async Task<IReadOnlyList<CandidateResult>> RunAsync(
        ForecastProfile profile, ICandidateExecutor executor, Func<DateTime> utcNow, Action<SearchProgress>? onProgress = null) =>
        (await RunAsync(profile, executor, utcNow, from: null, int.MaxValue, onProgress)).History;

    /// <summary>
    /// Continues the search from <paramref name="from"/> (from the start when null), starting at most
    /// <paramref name="candidatesPerSegment"/> candidates, and returns once they have come back: a durable host then
    /// continues in a fresh history from the returned state, until it is Finished. Each boundary waits for the running
    /// candidates, so the next proposals see their results rather than them pending; the same segment length, seed,
    /// data and results still give the same candidates.
    /// </summary>
    public static async Task<ForecastSearchState> RunAsync(ForecastProfile profile, ICandidateExecutor executor, Func<DateTime> utcNow,
        ForecastSearchState? from, int candidatesPerSegment, Action<SearchProgress>? onProgress = null)
    {
        var start = from?.StartedAt ?? utcNow();
        var budget = Math.Max(1, profile.BudgetSeconds - profile.PrepareSeconds);
        double Elapsed() => (utcNow() - start).TotalSeconds;
        var history = new List<CandidateResult>(from?.History ?? []);
        var running = new List<(Task<IReadOnlyList<CandidateResult>> Work, ForecastCandidate Candidate)>();
        var nextId = history.Count == 0 ? 1 : history.Max(r => r.CandidateId) + 1;
        var completed = history.Count;
        var started = 0;
        while (true)
        {
            while (running.Count < profile.ParallelCandidates && started < candidatesPerSegment && Elapsed() < ProposeUntil * budget)
            {
                var proposal = Propose(profile, history, [.. running.Select(r => r.Candidate)], nextId, CandidatesEndBy * budget - Elapsed());
                if (proposal is null) break;
                nextId++;
                started++;
                running.Add((executor.RunAsync([proposal]), proposal));
            }
            if (running.Count == 0) break;
            var finished = await Task.WhenAny(running.Select(r => r.Work));
            running.RemoveAll(r => r.Work == finished);
            history.AddRange((await finished).OrderBy(r => r.CandidateId));
            var best = history.Where(r => r.Mase is not null).OrderBy(r => r.Mase).ThenBy(r => r.CandidateId).FirstOrDefault();
            onProgress?.Invoke(new SearchProgress(++completed, history.Count, history.Count(r => r.Mase is null), best?.Mase,
                best?.Method.Describe(), Math.Round(Elapsed(), 3), budget));
        }
        return new ForecastSearchState { StartedAt = start, History = history, Finished = started < candidatesPerSegment };
    }

    /// <summary>The next candidate: the portfolio's next untried method, else a local-search neighbour; null when done.</summary>
    internal static ForecastCandidate? Propose(ForecastProfile profile, IReadOnlyList<CandidateResult> history,
        IReadOnlyList<ForecastCandidate> pending, int id, double secondsLeft)
    {
        var tried = history.Select(r => r.Method).Concat(pending.Select(p => p.Method)).ToHashSet();
        var space = new TreeSpace(profile);
        var treeCost = history.Where(r => r.Method is TreeRegressionMethod).Select(r => r.Seconds).DefaultIfEmpty(0).Average();
        var treesAffordable = treeCost * CostSafety <= secondsLeft && !TreesDead(history);
        var next = Portfolio(profile, space).FirstOrDefault(m => !tried.Contains(m) && (m is not TreeRegressionMethod || treesAffordable))
                   ?? (treesAffordable ? LocalSearch(profile, space, history, pending, tried) : null);
        return next is null ? null : new ForecastCandidate(id, next);
    }

    /// <summary>Trees are given up when every one tried failed or timed out, twice or more.</summary>
    private static bool TreesDead(IReadOnlyList<CandidateResult> history)
    {
        var trees = history.Where(r => r.Method is TreeRegressionMethod).ToList();
        return trees.Count >= 2 && trees.All(r => r.Mase is null);
    }

    /// <summary>
    /// Cheap, strong-on-average methods first: the baselines, every ETS the data allows, ARIMA with and without a
    /// seasonal part, then trees' defaults.
    /// </summary>
    private static IEnumerable<ForecastMethod> Portfolio(ForecastProfile profile, TreeSpace space)
    {
        var period = profile.SeasonalPeriod;
        if (period > 1) yield return new SeasonalNaiveMethod(period);
        yield return new SeasonalNaiveMethod(1);
        var seasons = new List<SeasonKind> { SeasonKind.None };
        if (period > 1 && space.FoldHistory >= 2 * period)
        {
            seasons.Add(SeasonKind.Additive);
            if (profile.PositiveTarget) seasons.Add(SeasonKind.Multiplicative);
        }
        foreach (var season in seasons)
            foreach (var trend in new[] { TrendKind.None, TrendKind.Damped, TrendKind.Additive })
                yield return new ExponentialSmoothingMethod(trend, season);
        yield return new ArimaMethod(MaxP: 2, MaxQ: 2, MaxSeasonalP: 0, MaxSeasonalQ: 0);
        if (period > 1 && space.FoldHistory >= Arima.MinSeasons * period) yield return new ArimaMethod(MaxP: 1, MaxQ: 1, MaxSeasonalP: 1, MaxSeasonalQ: 1);
        var defaults = space.Default;
        yield return defaults;
        yield return defaults with { Strategy = MultiStepStrategy.Recursive };
        if (defaults.Normalization != LevelNormalization.Difference) yield return defaults with { Normalization = LevelNormalization.Difference };
        yield return defaults with { Learner = TreeLearner.FastTree };
    }

    /// <summary>
    /// A neighbour of the best tree configuration: numeric settings move by ±step along a seeded random direction
    /// (in pairs of opposite signs), each categorical one changes with probability step. The step halves after
    /// 2·dimensions proposals without improvement; below MinStep the search is over.
    /// </summary>
    private static TreeRegressionMethod? LocalSearch(ForecastProfile profile, TreeSpace space, IReadOnlyList<CandidateResult> history,
        IReadOnlyList<ForecastCandidate> pending, HashSet<ForecastMethod> tried)
    {
        var incumbent = history.Where(r => r.Mase is not null && r.Method is TreeRegressionMethod)
            .OrderBy(r => r.Mase).ThenBy(r => r.CandidateId).FirstOrDefault();
        if (incumbent is null) return null;
        var since = history.Count(r => r.Method is TreeRegressionMethod && r.CandidateId > incumbent.CandidateId)
                    + pending.Count(p => p.Method is TreeRegressionMethod);
        var step = InitialStep * Math.Pow(0.5, since / (2 * space.Dimensions));
        if (step < MinStep) return null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var seed = SearchSpace.StableHash(profile.Seed, incumbent.CandidateId, since / 2, attempt);
            var neighbour = space.Neighbour((TreeRegressionMethod)incumbent.Method, step, since % 2 == 0 ? 1 : -1, seed);
            if (!tried.Contains(neighbour)) return neighbour;
        }
        return null;
    }

    /// <summary>The tree configurations' ranges, bounded by how much history the shortest backtest fold has.</summary>
    private sealed class TreeSpace
    {
        private readonly ForecastProfile _profile;
        private readonly HyperParameter _lags, _seasonalLags, _window, _leaves, _trees, _rate, _minLeaf;
        private readonly LevelNormalization[] _normalizations;

        public TreeSpace(ForecastProfile profile)
        {
            _profile = profile;
            FoldHistory = profile.Series.Min(s => s.Points) - profile.Horizon - (profile.Folds - 1) * profile.FoldStride;
            var period = profile.SeasonalPeriod;
            var maxLags = Math.Clamp(Math.Max(2 * period, 12), 2, Math.Max(2, FoldHistory / 3));
            var maxSeasonalLags = period > 1 ? Math.Clamp(FoldHistory / (2 * period), 0, 3) : 0;
            var maxWindow = Math.Clamp(2 * period, 4, Math.Max(4, FoldHistory / 3));
            var rows = FoldHistory * profile.Series.Count;
            _lags = new("lags", 1, maxLags, Math.Clamp(Math.Max(period, 4), 1, maxLags), Integer: true);
            _seasonalLags = new("seasonalLags", 0, maxSeasonalLags, Math.Min(2, maxSeasonalLags), Log: false, Integer: true);
            _window = new("window", 0, maxWindow, Math.Min(Math.Max(period, 4), maxWindow), Log: false, Integer: true);
            _leaves = new("leaves", 4, 64, 16, Integer: true);
            _trees = new("trees", 20, 800, 200, Integer: true);
            _rate = new("learningRate", 0.01, 0.3, 0.05);
            _minLeaf = new("minLeafCount", 2, Math.Clamp(rows / 20, 3, 50), Math.Clamp(rows / 50, 2, 10), Integer: true);
            _normalizations = profile.PositiveTarget
                ? [LevelNormalization.None, LevelNormalization.Difference, LevelNormalization.Ratio]
                : [LevelNormalization.None, LevelNormalization.Difference];
        }

        /// <summary>Points the shortest series keeps before the first backtest fold.</summary>
        public int FoldHistory { get; }

        private IReadOnlyList<HyperParameter> Numeric => [_lags, _seasonalLags, _window, _leaves, _trees, _rate, _minLeaf];

        /// <summary>Numeric settings and the five categorical ones (learner, strategy, normalization, calendar, time index).</summary>
        public int Dimensions => Numeric.Count + 5;

        public TreeRegressionMethod Default => new()
        {
            Learner = TreeLearner.LightGbm, Strategy = MultiStepStrategy.Direct,
            Lags = (int)_lags.Init, SeasonalLags = (int)_seasonalLags.Init, Window = (int)_window.Init,
            Normalization = _profile.PositiveTarget ? LevelNormalization.Ratio : LevelNormalization.Difference,
            Calendar = _profile.Frequency != SeriesFrequency.Yearly, TimeIndex = false,
            Leaves = (int)_leaves.Init, Trees = (int)_trees.Init, LearningRate = _rate.Init, MinLeafCount = (int)_minLeaf.Init,
        };

        public TreeRegressionMethod Neighbour(TreeRegressionMethod incumbent, double step, int sign, int seed)
        {
            var numeric = Numeric;
            double[] current = [incumbent.Lags, incumbent.SeasonalLags, incumbent.Window, incumbent.Leaves, incumbent.Trees, incumbent.LearningRate, incumbent.MinLeafCount];
            var direction = SearchSpace.Direction(numeric.Count, seed);
            // A range with one value (no room for seasonal lags) stays put.
            var moved = numeric.Select((h, i) => h.High > h.Low
                ? SearchSpace.FromUnit(h, SearchSpace.ToUnit(h, Math.Clamp(current[i], h.Low, h.High)) + sign * step * direction[i])
                : h.Low).ToArray();
            var random = new Random(seed);
            T Maybe<T>(T value, IReadOnlyList<T> options) =>
                random.NextDouble() < step ? options.Where(o => !Equals(o, value)).ElementAt(random.Next(options.Count - 1)) : value;
            return incumbent with
            {
                Lags = (int)moved[0], SeasonalLags = (int)moved[1], Window = (int)moved[2], Leaves = (int)moved[3], Trees = (int)moved[4],
                LearningRate = Math.Round(moved[5], 4), MinLeafCount = (int)moved[6],
                Learner = Maybe(incumbent.Learner, [TreeLearner.LightGbm, TreeLearner.FastTree]),
                Strategy = Maybe(incumbent.Strategy, [MultiStepStrategy.Direct, MultiStepStrategy.Recursive]),
                Normalization = Maybe(incumbent.Normalization, _normalizations),
                Calendar = _profile.Frequency != SeriesFrequency.Yearly && Maybe(incumbent.Calendar, [true, false]),
                TimeIndex = Maybe(incumbent.TimeIndex, [true, false]),
            };
        }
    }
}

/// <summary>Runs candidates on thread-pool tasks in this process (the CLI's and tests' executor).</summary>
public sealed class InProcessCandidateExecutor(ForecastEngine engine, string workDir, CancellationToken ct = default) : ICandidateExecutor
{
    public Task<IReadOnlyList<CandidateResult>> RunAsync(IReadOnlyList<ForecastCandidate> candidates) =>
        Task.Run(IReadOnlyList<CandidateResult> () => [.. candidates.Select(c => engine.RunCandidate(workDir, c, ct: ct))], ct);
}
