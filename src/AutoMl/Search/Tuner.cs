using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// FLAML-style search, as a pure function of (profile, history, pending proposals):
/// <list type="number">
/// <item>the first trial is the guaranteed-cheap fallback (a few small LightGBM trees, or an L-BFGS fit when text
/// dominates, on the smallest sample), allowed the whole trial window, so every run has a model early;</item>
/// <item>until a trial has a score, the other learners' cheap starts, in preferred order;</item>
/// <item>then each slot goes to a learner drawn with probability proportional to 1/ECI (its estimated cost for
/// improvement; for a learner without a success, what its next trial should cost), from a generator seeded by the
/// seed and the sizes of history and pending. The chosen learner plays its untried zero-shot portfolio first, then
/// cost-frugal local search (FLOW2: a random direction, both signs, the step kept after an improvement and halved
/// after 2·dims proposals without one, never below what moves an integer parameter), with the training sample as a
/// resource: it moves its incumbent to the next sample size when its search has converged or that costs less than its
/// ECI. A search that converged where it cannot grow restarts, as FLAML's CFO does: a new local search from a seeded
/// random point (integer parameters no costlier than the converged incumbent's), with its own incumbent and a fresh
/// step; the learner's ECI still counts from its best trial, so a restart that stays behind gets few trials.</item>
/// </list>
/// Every configuration starts only when its estimated cost (a measured trial scaled by work and rows) fits the time
/// left and its refit fits Finish's largest reserve. Pending proposals count as tried, so a new proposal never repeats
/// one in flight.
/// </summary>
internal static class Tuner
{
    /// <summary>Learners whose estimated trial cost exceeds the time left are not started.</summary>
    private const double CostSafety = 1.2;
    /// <summary>A trial may run past the time the search gives proposals by this share of the search's time.</summary>
    internal const double TimeoutGrace = 0.05;
    private const double StepPerDimension = 0.1;
    private const double MinStepFloor = 1e-3;
    private const int DuplicateAttempts = 8;
    private const double ChoiceFlipProbability = 0.15;
    /// <summary>Relative cost of a learner's first trial against LightGBM's, before it has been measured.</summary>
    private const double UnmeasuredCostFactor = 2;

    /// <summary>
    /// Up to count proposals whose estimated cost fits <paramref name="secondsLeft"/>: the seconds until trials should
    /// end, which the search loop counts to the budget less Finish's reserve (<see cref="FinishReserve"/>).
    /// </summary>
    public static IReadOnlyList<TrialConfig> Propose(DatasetProfile profile, IReadOnlyList<TrialResult> history,
        IReadOnlyList<TrialConfig> pending, int count, int firstId, double secondsLeft)
    {
        var learners = LearnerCatalog.InPreferredOrder(profile)
            .Where(l => l.Supports(profile) && MemoryEstimate.Fits(l, profile, profile.Samples()[0])).ToList();
        var inFlight = pending.ToList();
        var proposals = new List<TrialConfig>();
        var searchSeconds = FinishReserve.SearchSeconds(profile);
        // The fastest scored trial per row: an unmeasured learner's cost is scaled from it.
        var fastest = history.Where(t => t.Scored).MinBy(t => t.Seconds / DataChoices.SampleRowsOf(profile, t.Params));
        var seeds = new Seeds(profile.Seed, firstId - 1 - history.Count - pending.Count);
        var timeout = Math.Min(profile.TrialTimeoutSeconds > 0 ? profile.TrialTimeoutSeconds : searchSeconds, secondsLeft + TimeoutGrace * searchSeconds);
        for (var slot = 0; slot < count; slot++)
        {
            TrialConfig proposal;
            if (history.Count == 0 && inFlight.Count == 0)
            {
                // The guaranteed model may use the whole trial window; if it cannot finish there, Finish trains it again on one fold.
                var (learner, hp) = LearnerCatalog.Cheapest(profile).First();
                proposal = new TrialConfig(firstId + slot, learner.Name, hp) { TimeoutSeconds = Math.Max(1, secondsLeft + TimeoutGrace * searchSeconds) };
            }
            else
            {
                var states = learners.Select((l, rank) => new LearnerState(l, rank, profile, history, inFlight, fastest, seeds)).ToList();
                var next = history.Any(t => t.Scored)
                    ? NextByEci(profile, states, history, inFlight, secondsLeft, seeds)
                    : NextStart(states, secondsLeft);
                if (next is null) break;
                proposal = new TrialConfig(firstId + slot, next.Value.Learner, next.Value.Params) { TimeoutSeconds = Math.Max(1, timeout) };
            }
            proposals.Add(proposal);
            inFlight.Add(proposal);
        }
        return proposals;
    }

    /// <summary>Before any trial has a score: the next learner's cheap start, in preferred order.</summary>
    private static (string Learner, IReadOnlyDictionary<string, double> Params)? NextStart(List<LearnerState> states, double secondsLeft) =>
        states.Where(s => s.TrialCount == 0)
            .Select(s => (State: s, Config: s.NextPortfolio(secondsLeft)))
            .Where(x => x.Config is not null)
            .Select(x => ((string, IReadOnlyDictionary<string, double>)?)(x.State.Learner.Name, x.Config!))
            .FirstOrDefault();

    /// <summary>
    /// FLAML's learner choice: every learner that has a next step is drawn with probability proportional to 1/ECI, so
    /// the cheapest way to improve is favoured and a learner a little behind (or not tried yet) still gets trials.
    /// </summary>
    private static (string Learner, IReadOnlyDictionary<string, double> Params)? NextByEci(
        DatasetProfile profile, List<LearnerState> states, IReadOnlyList<TrialResult> history, List<TrialConfig> inFlight, double secondsLeft, Seeds seeds)
    {
        var bestGain = history.Where(t => t.Scored).Max(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value));
        var options = states.Where(s => !s.Dead)
            .Select(s => (State: s, Config: s.Next(secondsLeft, bestGain)))
            .Where(x => x.Config is not null)
            .Select(x => (x.State, x.Config, Eci: x.State.Eci(bestGain, x.Config!)))
            .ToList();
        if (options.Count == 0) return null;
        var random = new Random(seeds.Of(history.Count, inFlight.Count));
        var weights = options.Select(o => 1 / Math.Max(o.Eci, 1e-6)).ToList();
        var draw = random.NextDouble() * weights.Sum();
        var chosen = options[^1];
        for (var i = 0; i < options.Count; i++)
        {
            draw -= weights[i];
            if (draw > 0) continue;
            chosen = options[i];
            break;
        }
        return (chosen.State.Learner.Name, chosen.Config!);
    }

    /// <summary>
    /// The seeds of the tuner's draws, from the search's seed and what the draw depends on. A long search forgets trials
    /// (<see cref="RetainedTrials"/>): the ids handed out that are neither in the history nor pending. Once it has, the
    /// count of forgotten trials joins every seed, so that the draws replayed on the kept trials (learner choice, restart
    /// points, neighbor directions) do not walk again through configurations tried before and forgotten since; until
    /// then the seeds are what they always were.
    /// </summary>
    private readonly record struct Seeds(int Seed, int Forgotten)
    {
        public int Of(params object[] parts) =>
            Forgotten > 0 ? SearchSpace.StableHash([Seed, .. parts, "forgotten", Forgotten]) : SearchSpace.StableHash([Seed, .. parts]);
    }

    /// <summary>What the history says about one learner, counting the proposals still in flight as pending.</summary>
    private sealed class LearnerState
    {
        private readonly DatasetProfile _profile;
        private readonly IReadOnlyList<HyperParameter> _space;
        private readonly List<TrialResult> _done;
        private readonly List<TrialConfig> _pending;
        private readonly TrialResult? _fastest;
        private readonly Seeds _seeds;
        private readonly int _level;
        private readonly List<TrialResult> _doneAtLevel;
        private readonly int _pendingAtLevel;
        private readonly Dictionary<int, List<IReadOnlyDictionary<string, double>>> _restartPoints = [];
        private readonly SearchThread _thread;
        private readonly int _sinceIncumbent;

        public LearnerState(Learner learner, int rank, DatasetProfile profile, IReadOnlyList<TrialResult> history, List<TrialConfig> pending, TrialResult? fastest, Seeds seeds)
        {
            _seeds = seeds;
            Learner = learner;
            Rank = rank;
            _profile = profile;
            _space = learner.Space(profile);
            _done = history.Where(t => t.Learner == learner.Name).OrderBy(t => t.TrialId).ToList();
            _pending = pending.Where(p => p.Learner == learner.Name).ToList();
            _fastest = fastest;
            var scored = _done.Where(t => t.Scored).ToList();
            _level = scored.Count == 0 ? profile.Samples()[0] : scored.Max(t => Rows(t.Params));
            _doneAtLevel = _done.Where(t => Rows(t.Params) == _level).ToList();
            _pendingAtLevel = _pending.Count(p => Rows(p.Params) == _level);
            Best = _doneAtLevel.Where(t => t.Scored).MaxBy(Gain);
            _thread = CurrentThread();
            _sinceIncumbent = _thread.End - 1 - _thread.IncumbentAt + _pendingAtLevel;
        }

        public Learner Learner { get; }
        public int Rank { get; }
        /// <summary>The learner's best trial at its current sample size, over all its local searches there.</summary>
        public TrialResult? Best { get; }
        public int TrialCount => _done.Count + _pending.Count;

        /// <summary>
        /// A learner that never succeeded is dropped after an error or a memory skip, or after two timeouts (one may
        /// be bad luck on a busy machine).
        /// </summary>
        public bool Dead => !_done.Any(t => t.Scored) &&
                            (_done.Any(t => t.Status is TrialStatus.Failed or TrialStatus.Skipped) || _done.Count(t => t.Status == TrialStatus.TimedOut) >= 2);

        private int Rows(IReadOnlyDictionary<string, double> hp) => DataChoices.SampleRowsOf(_profile, hp);

        private double Gain(TrialResult t) => MetricCatalog.Gain(_profile.Metric, t.Score!.Value);

        private int Dimensions => Math.Max(1, _space.Count(h => !h.Choice));

        /// <summary>
        /// One local search at the current sample size: its index (0 for the first, then one more per restart), the
        /// incumbent of the search it restarted from, its trials (positions Start..End-1 of the level's trials), its
        /// incumbent (at IncumbentAt; Start - 1 when none) and step, and whether it has converged.
        /// </summary>
        private sealed record SearchThread(int Index, TrialResult? Origin, int Start, int End, TrialResult? Incumbent, int IncumbentAt, double Step, bool Converged);

        /// <summary>
        /// The local search the learner is in at its sample size. The first starts with the level's first trial; once a
        /// search has converged, the next starts at the first later trial that is one of its restart points (trials of
        /// the converged search that were still in flight belong to neither).
        /// </summary>
        private SearchThread CurrentThread()
        {
            // Positions, not copies of the list: a long run on small data has hundreds of searches per learner.
            var thread = Replay(0, null, 0);
            while (thread.Converged)
            {
                var start = _doneAtLevel.FindIndex(thread.End, t => IsRestartPoint(thread.Index + 1, thread.Incumbent!, t.Params));
                if (start < 0) break;
                thread = Replay(thread.Index + 1, thread.Incumbent, start);
            }
            return thread;
        }

        /// <summary>
        /// Replays one local search until it converges: the incumbent is the best so far; an improvement keeps the step
        /// it was found with, and 2·dims trials without one halve it.
        /// </summary>
        private SearchThread Replay(int index, TrialResult? origin, int start)
        {
            var step = StepPerDimension * Math.Sqrt(Dimensions);
            TrialResult? incumbent = null;
            var (incumbentAt, without) = (start - 1, 0);
            for (var i = start; i < _doneAtLevel.Count; i++)
            {
                var trial = _doneAtLevel[i];
                if (trial.Scored && (incumbent is null || Gain(trial) > Gain(incumbent)))
                {
                    (incumbent, incumbentAt, without) = (trial, i, 0);
                    continue;
                }
                if (++without < 2 * Dimensions) continue;
                step /= 2;
                without = 0;
                if (incumbent is not null && step < MinStep(incumbent)) return new SearchThread(index, origin, start, i + 1, incumbent, incumbentAt, step, true);
            }
            return new SearchThread(index, origin, start, _doneAtLevel.Count, incumbent, incumbentAt, step, false);
        }

        /// <summary>
        /// The smallest step that still moves an integer parameter (at the incumbent's value), as FLAML bounds it;
        /// below it the local search has converged.
        /// </summary>
        private double MinStep(TrialResult incumbent)
        {
            var resolutions = _space.Where(h => h.Integer && !h.Choice).Select(h =>
            {
                var value = Math.Max(1, incumbent.Params.TryGetValue(h.Name, out var v) ? v : h.Init);
                return h.Log ? Math.Log((value + 1) / value) / Math.Log(h.High / h.Low) : 1 / Math.Max(1, h.High - h.Low);
            }).ToList();
            return resolutions.Count == 0 ? MinStepFloor : Math.Max(MinStepFloor, resolutions.Min() * Math.Sqrt(Dimensions));
        }

        /// <summary>
        /// Estimated seconds of a configuration, and of its fitting alone: the learner's measured trial nearest in sample
        /// size, scaled by work and rows; before the learner has a measured trial, the fastest trial of any learner,
        /// scaled likewise. Null when nothing has been measured yet.
        /// </summary>
        public (double Seconds, double FitSeconds)? Estimate(IReadOnlyDictionary<string, double> hp)
        {
            var rows = Rows(hp);
            var measured = _done.Where(t => t.Scored).OrderBy(t => Math.Abs(Math.Log((double)Rows(t.Params) / rows))).ThenByDescending(t => t.TrialId)
                .FirstOrDefault();
            var (reference, factor) = measured is not null
                ? (measured, Learner.Work(_profile, hp, null) / Learner.Work(_profile, measured.Params, measured.Iterations))
                : (_fastest, UnmeasuredCostFactor);
            if (reference is null) return null;
            var scale = factor * rows / Rows(reference.Params);
            return (reference.Seconds * scale, (reference.FitSeconds ?? reference.Seconds) * scale);
        }

        /// <summary>
        /// Affordable: expected to end within the time the search may still use, and to refit (on at least its own
        /// training rows) within the longest time Finish may get. Unmeasured learners may start their first trial.
        /// </summary>
        private bool Affordable(IReadOnlyDictionary<string, double> hp, double secondsLeft) =>
            Estimate(hp) is { } cost
                ? cost.Seconds * CostSafety <= secondsLeft && RefitPlan.Seconds(_profile, Learner, hp, cost.FitSeconds, FloorRows(hp)) <= MaxRefitSeconds
                : !_done.Any() && _pending.Count == 0 && secondsLeft > 0;

        /// <summary>The fewest rows Finish refits a configuration on: as many as it trains on in each fold.</summary>
        private int FloorRows(IReadOnlyDictionary<string, double> hp) => Rows(hp);

        /// <summary>The longest refit Finish can afford: its largest reserve, less importance and the end margin.</summary>
        private double MaxRefitSeconds => FinishReserve.MaxShare * FinishReserve.SearchSeconds(_profile) - Finisher.OtherFinishSeconds(_profile);

        /// <summary>The first portfolio configuration not tried yet and affordable (beyond the start, only once measured).</summary>
        public IReadOnlyDictionary<string, double>? NextPortfolio(double secondsLeft)
        {
            var first = _profile.Samples()[0];
            return Learner.Portfolio(_profile)
                .Select(hp => LearnerCatalog.OnSample(_profile, hp, first))
                .Where(hp => !Tried(hp))
                .FirstOrDefault(hp => Affordable(hp, secondsLeft));
        }

        private bool Tried(IReadOnlyDictionary<string, double> hp) =>
            _done.Any(t => LearnerCatalog.SameConfig(t.Params, hp)) || _pending.Any(p => LearnerCatalog.SameConfig(p.Params, hp));

        /// <summary>
        /// Estimated cost for improvement (after FLAML). A learner without a success yet: what its failed attempts cost
        /// plus what its next trial should. Otherwise the time it has spent without improving on its best at its
        /// sample size (at least one trial's cost; restarted local searches that stay behind add to it); when it trails
        /// the best learner, also the time its last improvement speed needs to close twice the gap. A learner that has not improved on its first success yet is credited,
        /// as FLAML does, with having brought the loss down from nothing in the time it has used: one cheap, crude
        /// start (a few tiny trees) must not bury a learner that larger configurations would make the best.
        /// </summary>
        public double Eci(double bestGain, IReadOnlyDictionary<string, double> next)
        {
            // Not succeeded yet: what its next trial should cost, plus what its failed attempts already cost.
            if (Best is not { } incumbent)
                return _done.Sum(t => t.Seconds) + (Estimate(next)?.Seconds ?? 0);
            var cost = Math.Max(0.01, incumbent.Seconds);
            var since = _doneAtLevel.Skip(_doneAtLevel.IndexOf(incumbent) + 1).Sum(t => t.Seconds) + _pendingAtLevel * cost;
            var eci = Math.Max(since, cost);
            var gap = bestGain - Gain(incumbent);
            if (gap <= 0) return eci;
            var previous = _done.Where(t => t.Scored).TakeWhile(t => t != incumbent).Where(t => Gain(t) < Gain(incumbent)).LastOrDefault();
            double speed;
            if (previous is null)
            {
                var used = _done.TakeWhile(t => t != incumbent).Sum(t => t.Seconds) + incumbent.Seconds;
                speed = Math.Abs(MetricCatalog.Loss(_profile.Metric, incumbent.Score!.Value)) / Math.Max(used, 0.01);
            }
            else
            {
                var between = _done.SkipWhile(t => t != previous).Skip(1).TakeWhile(t => t != incumbent).Sum(t => t.Seconds) + incumbent.Seconds;
                speed = (Gain(incumbent) - Gain(previous)) / Math.Max(between, 0.01);
            }
            return Math.Max(eci, 2 * gap / Math.Max(speed, 1e-12));
        }

        /// <summary>
        /// The learner's next configuration: its first untried portfolio configuration that is affordable (known-good
        /// settings before local steps), else a local step (<see cref="NextLocal"/>).
        /// </summary>
        public IReadOnlyDictionary<string, double>? Next(double secondsLeft, double bestGain) =>
            _done.Count == 0 && _pending.Count > 0 ? null // its first trial still runs: nothing to scale a second one from
                : NextPortfolio(secondsLeft) ?? (Best is null ? null : NextLocal(secondsLeft, bestGain));

        /// <summary>
        /// The learner's next step: its local search's incumbent on the next sample size when that search converged or
        /// growing is cheaper than improving here; else, once the search converged, a restart (a new local search from a
        /// random point, as FLAML's CFO does); else a local-search neighbor. Null when none is affordable.
        /// </summary>
        private IReadOnlyDictionary<string, double>? NextLocal(double secondsLeft, double bestGain)
        {
            if (_thread.Incumbent is not { } incumbent)
                // A restart that has not scored: wait for the one in flight, else try another restart point.
                return _pendingAtLevel > 0 ? null : Restart(_thread.Index, _thread.Origin!, secondsLeft);
            var next = _profile.Samples().FirstOrDefault(s => s > _level);
            if (next > 0)
            {
                var grown = LearnerCatalog.OnSample(_profile, incumbent.Params, next);
                if (!Tried(grown) && (_thread.Converged || (Estimate(grown)?.Seconds ?? double.MaxValue) <= Eci(bestGain, grown)) && Affordable(grown, secondsLeft))
                    return grown;
            }
            if (_thread.Converged)
                return _pending.Any(p => IsRestartPoint(_thread.Index + 1, incumbent, p.Params)) ? null : Restart(_thread.Index + 1, incumbent, secondsLeft);
            var neighbor = Neighbor(incumbent);
            return neighbor is not null && Affordable(neighbor, secondsLeft) ? neighbor : null;
        }

        /// <summary>The first untried, affordable start of the restart with this index, from the search it follows.</summary>
        private IReadOnlyDictionary<string, double>? Restart(int index, TrialResult origin, double secondsLeft) =>
            RestartPoints(index, origin).FirstOrDefault(hp => !Tried(hp) && Affordable(hp, secondsLeft));

        private bool IsRestartPoint(int index, TrialResult origin, IReadOnlyDictionary<string, double> hp) =>
            RestartPoints(index, origin).Any(p => LearnerCatalog.SameConfig(p, hp));

        private List<IReadOnlyDictionary<string, double>> RestartPoints(int index, TrialResult origin)
        {
            if (!_restartPoints.TryGetValue(index, out var points)) _restartPoints[index] = points = [.. DrawRestartPoints(index, origin)];
            return points;
        }

        /// <summary>
        /// Candidate starts of a restart, seeded by (seed, learner, sample size, restart index), in FLAML's admissible
        /// region: integer parameters (rounds, leaves: what a trial costs) uniform between the cheap start's value and
        /// the converged search's incumbent's, so a restart costs about what the learner's good trials cost; the others
        /// uniform over their range; choices drawn fairly. Fixed by the converged search alone, so replays find them.
        /// </summary>
        private IEnumerable<IReadOnlyDictionary<string, double>> DrawRestartPoints(int index, TrialResult origin)
        {
            for (var attempt = 0; attempt < DuplicateAttempts; attempt++)
            {
                var random = new Random(_seeds.Of(Learner.Name, _level, "restart", index, attempt));
                var config = _space.ToDictionary(h => h.Name, h =>
                {
                    if (h.Choice) return random.NextDouble() < 0.5 ? h.Low : h.High;
                    var (from, to) = h.Integer
                        ? (SearchSpace.ToUnit(h, h.Init), SearchSpace.ToUnit(h, origin.Params.TryGetValue(h.Name, out var v) ? v : h.Init))
                        : (0, 1);
                    return SearchSpace.FromUnit(h, from + random.NextDouble() * (to - from));
                });
                yield return LearnerCatalog.OnSample(_profile, config, _level);
            }
        }

        /// <summary>
        /// Incumbent ± step · direction: proposals come in pairs sharing a random direction with opposite signs; the
        /// direction is seeded by (seed, learner, incumbent, pair). Choices flip with a small probability. A point that
        /// repeats a tried configuration (integers round back) moves on to the next direction.
        /// </summary>
        private IReadOnlyDictionary<string, double>? Neighbor(TrialResult incumbent)
        {
            var numeric = _space.Where(h => !h.Choice).ToList();
            for (var attempt = 0; attempt < DuplicateAttempts; attempt++)
            {
                var index = _sinceIncumbent + 2 * attempt;
                var sign = index % 2 == 0 ? 1 : -1;
                var seed = _seeds.Of(Learner.Name, incumbent.TrialId, _level, index / 2);
                var direction = SearchSpace.Direction(numeric.Count, seed);
                var flips = new Random(seed);
                var config = _space.ToDictionary(h => h.Name, h =>
                {
                    var current = incumbent.Params.TryGetValue(h.Name, out var v) ? v : h.Init;
                    if (h.Choice) return flips.NextDouble() < ChoiceFlipProbability ? 1 - current : current;
                    var i = numeric.IndexOf(h);
                    return SearchSpace.FromUnit(h, SearchSpace.ToUnit(h, current) + sign * _thread.Step * direction[i]);
                });
                var proposal = LearnerCatalog.OnSample(_profile, config, _level);
                if (!Tried(proposal)) return proposal;
            }
            return null;
        }
    }
}
