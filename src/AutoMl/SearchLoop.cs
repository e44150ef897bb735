using Serverless.AutoMl.Search;

namespace Serverless.AutoMl;

/// <summary>
/// The one search loop, shared by the Durable orchestrator and the CLI. It keeps every slot busy: whenever a slot's
/// trials end, the tuner sees their results (and what is still running) and proposes that slot's next work, so no
/// slot waits for the slowest trial of a round. When calls travel to a worker and back (durable activities), a call
/// carries a bundle of short trials filled by their expected costs up to a few seconds, and a few calls wait
/// queued beyond the slots, so that the round trip is neither paid per trial nor waited for by a free slot; long
/// trials, and every trial in-process, go one per call. The loop can stop after a number of calls and continue later
/// from its <see cref="SearchState"/> (the orchestrator does, to keep its history short).
/// New trials start only while they are expected to end before the budget less Finish's reserve
/// (<see cref="FinishReserve"/>, sized from the trials measured so far), so a run whose refits are cheap searches almost
/// to the end and one whose refits are expensive stops early enough for them.
/// It is replay-safe: time comes only from utcNow, randomness only from the profile's seed, and the only awaited work
/// is the executor's.
/// </summary>
public static class SearchLoop
{
    /// <summary>A bundle is filled up to this many seconds of trials, so the tuner keeps learning from results...</summary>
    public const double MaxBundleSeconds = 4;
    /// <summary>...or this share of the search's time when that is less (a short budget gets short bundles)...</summary>
    public const double MaxBundleShareOfSearch = 0.025;
    /// <summary>...and at most this many trials.</summary>
    public const int MaxBundleTrials = 64;

    /// <summary>Remote calls kept waiting beyond the slots: one, and one more per four slots.</summary>
    public static int QueuedCalls(int slots) => 1 + slots / 4;

    /// <summary>The whole search in one go: the trials it kept (every one up to a few thousand: <see cref="RetainedTrials"/>), in the order they came back.</summary>
    public static async Task<IReadOnlyList<TrialResult>> RunAsync(
        DatasetProfile profile, ITrialExecutor executor, Func<DateTime> utcNow, Action<SearchProgress>? onProgress = null) =>
        (await RunAsync(profile, executor, utcNow, new SearchOptions(), resume: null, onProgress)).History;

    /// <summary>
    /// Searches from <paramref name="resume"/> (or from the start) until the budget ends or, with
    /// <see cref="SearchOptions.CallsPerSegment"/>, until that many calls came back and the running ones ended.
    /// </summary>
    public static async Task<SearchState> RunAsync(DatasetProfile profile, ITrialExecutor executor, Func<DateTime> utcNow,
        SearchOptions options, SearchState? resume, Action<SearchProgress>? onProgress = null)
    {
        var slots = Math.Max(1, profile.ParallelTrials);
        var inFlight = executor.CallsAreRemote ? slots + QueuedCalls(slots) : slots;
        var search = new SearchRun(profile, options, resume ?? new SearchState { StartedAt = utcNow() }, executor.CallsAreRemote ? inFlight : null);
        double Elapsed() => (utcNow() - search.StartedAt).TotalSeconds;
        if (resume is not null)
            onProgress?.Invoke(search.Progress());
        var running = new List<Call>();
        var (calls, maxCalls) = (0, options.CallsPerSegment ?? int.MaxValue);
        while (true)
        {
            while (calls < maxCalls && running.Count < inFlight && Elapsed() < search.TrialsEndBy)
            {
                var bundle = search.NextBundle([.. running.SelectMany(r => r.Configs)], Elapsed());
                if (bundle.Count == 0) break;
                running.Add(new Call(executor.RunAsync(bundle), bundle));
                calls++;
            }
            if (running.Count == 0) break;
            var finished = await Task.WhenAny(running.Select(r => r.Work));
            var call = running.Single(r => r.Work == finished);
            running.Remove(call);
            var results = await finished;
            var dropped = search.Record(results, Elapsed());
            if (dropped.Count > 0) executor.Forget(dropped);
            onProgress?.Invoke(search.Progress() with { Finished = results });
        }
        return search.State(finished: calls < maxCalls || Elapsed() >= search.TrialsEndBy || search.Exhausted);
    }

    private sealed record Call(Task<IReadOnlyList<TrialResult>> Work, IReadOnlyList<TrialConfig> Configs);

    /// <summary>
    /// The loop's bookkeeping: the history (bounded: <see cref="RetainedTrials"/>), counts over every trial, each
    /// learner's measured trial cost, best so far, and Finish's reserve (recomputed when the history changes).
    /// </summary>
    private sealed class SearchRun
    {
        private readonly DatasetProfile _profile;
        private readonly SearchOptions _options;
        /// <summary>Calls kept in flight when they are remote (bundles); null in-process (one trial per call).</summary>
        private readonly int? _remoteCalls;
        private readonly List<TrialResult> _history;
        private readonly TrialCosts _costs;
        private int _completed;
        private double _elapsed;
        private TrialResult? _best;
        private int _trials;
        private int _failed;
        private double _trialSeconds;
        private double _reserve;

        public SearchRun(DatasetProfile profile, SearchOptions options, SearchState state, int? remoteCalls)
        {
            (_profile, _options, _remoteCalls) = (profile, options, remoteCalls);
            _costs = new TrialCosts(profile);
            StartedAt = state.StartedAt;
            Budget = FinishReserve.SearchSeconds(profile);
            _history = [];
            _completed = state.Completed;
            _elapsed = state.ElapsedSeconds;
            Add(state.History);
            // A state that counts its trials may hold fewer than it counts; one from before counted all it held.
            if (state.Trials > 0) (_trials, _failed, _trialSeconds) = (state.Trials, state.FailedTrials, state.TrialSeconds);
            _reserve = FinishReserve.Seconds(profile, _history);
        }

        public DateTime StartedAt { get; }
        public double Budget { get; }

        /// <summary>Seconds into the search by which trials are expected to end: what Finish's reserve leaves.</summary>
        public double TrialsEndBy => Budget - _reserve;

        /// <summary>A fixed list of proposals has been handed out to the last one.</summary>
        public bool Exhausted => _options.Proposals is { } fixedList && _trials >= fixedList.Count;

        /// <summary>The ids handed out so far run 1..n in order; results come back for every one of them.</summary>
        private int NextId(IReadOnlyList<TrialConfig> pending) => _trials + pending.Count + 1;

        /// <summary>
        /// The next call's trials: one, or (when calls are remote) as many as fit in the bundle's time by their expected
        /// costs (<see cref="TrialCosts"/>; before any trial came back, the cost model's). A trial longer than the
        /// bundle's time goes alone.
        /// </summary>
        public IReadOnlyList<TrialConfig> NextBundle(IReadOnlyList<TrialConfig> pending, double elapsed)
        {
            var seconds = BundleSeconds(pending);
            var endBy = TrialsEndBy;
            var bundle = new List<TrialConfig>();
            var expected = 0.0;
            while (bundle.Count < MaxTrialsPerCall)
            {
                var inFlight = pending.Concat(bundle).ToList();
                var next = Propose(inFlight, NextId(inFlight), endBy - elapsed - expected);
                if (next is null) break;
                var cost = _costs.Seconds(next);
                // A millisecond of slack keeps the sum of measured costs from missing the bundle's time by a rounding error.
                if (bundle.Count > 0 && expected + cost > seconds + 0.001) break;
                bundle.Add(next);
                expected += cost;
            }
            return bundle;
        }

        /// <summary>
        /// One in-process. Before any trial came back the tuner has only its learners' cheap starts to give (the rest
        /// depends on their results): bundled, they would pile into the first call while the other slots idle, so they
        /// go one per call; a fixed list is known to its end and is split over the calls (<see cref="BundleSeconds"/>).
        /// </summary>
        private int MaxTrialsPerCall =>
            _remoteCalls is null || (_trials == 0 && _options.Proposals is null) ? 1 : MaxBundleTrials;

        private TrialConfig? Propose(List<TrialConfig> inFlight, int id, double secondsLeft) =>
            _options.Proposals is { } fixedList
                ? fixedList.ElementAtOrDefault(id - 1) is { } config ? config with { Id = id } : null
                : Tuner.Propose(_profile, _history, inFlight, count: 1, id, secondsLeft).FirstOrDefault();

        /// <summary>
        /// A bundle's time: a few seconds, less for a short budget; a fixed list's rest is also split over the calls in
        /// flight (guided self-scheduling), so that a short list's trials do not all go to one slot while the others idle.
        /// </summary>
        private double BundleSeconds(IReadOnlyList<TrialConfig> pending)
        {
            if (_remoteCalls is not { } calls) return 0;
            var seconds = Math.Min(MaxBundleSeconds, MaxBundleShareOfSearch * Budget);
            return _options.Proposals is { } fixedList
                ? Math.Min(seconds, fixedList.Skip(NextId(pending) - 1).Sum(_costs.Seconds) / calls)
                : seconds;
        }

        /// <summary>Takes a call's results; returns the ids of the trials the history no longer keeps.</summary>
        public IReadOnlyList<int> Record(IReadOnlyList<TrialResult> results, double elapsed)
        {
            _completed++;
            _elapsed = elapsed;
            Add(results.OrderBy(r => r.TrialId));
            var (kept, dropped) = RetainedTrials.Trim(_profile, _history);
            if (dropped.Count > 0)
            {
                _history.Clear();
                _history.AddRange(kept);
            }
            _reserve = FinishReserve.Seconds(_profile, _history);
            return dropped;
        }

        private void Add(IEnumerable<TrialResult> results)
        {
            foreach (var result in results)
            {
                _history.Add(result);
                _costs.Add(result);
                _trials++;
                _trialSeconds += result.Seconds;
                if (!result.Scored)
                    _failed++;
                else if (_best is null || Better(result, _best))
                    _best = result;
            }
        }

        /// <summary>Higher gain wins; on a tie, the earlier trial.</summary>
        private bool Better(TrialResult a, TrialResult b)
        {
            var (gainA, gainB) = (MetricCatalog.Gain(_profile.Metric, a.Score!.Value), MetricCatalog.Gain(_profile.Metric, b.Score!.Value));
            return gainA > gainB || (gainA == gainB && a.TrialId < b.TrialId);
        }

        public SearchProgress Progress() => new(_completed, _trials, _failed,
            _best?.Score, _best?.Learner, Math.Round(_elapsed, 3), Budget);

        public SearchState State(bool finished) => new()
        {
            StartedAt = StartedAt, History = [.. _history], Trials = _trials, FailedTrials = _failed, TrialSeconds = Math.Round(_trialSeconds, 3),
            Completed = _completed, ElapsedSeconds = Math.Round(_elapsed, 3), Finished = finished,
        };
    }
}
