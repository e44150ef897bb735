using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// FLAML-style search, as a pure function of (profile, history, pending proposals): first the learners' cheap
/// defaults and a zero-shot portfolio, then cost-frugal local search around each learner's best config, spending each
/// slot on the learner with the lowest estimated cost for improvement (ECI). Pending proposals (still running) count
/// as tried, so a new proposal never repeats one in flight.
/// </summary>
internal static class Tuner
{
    private const double InitialStep = 0.2;
    private const double MinStep = 0.01;
    /// <summary>Learners whose estimated trial cost exceeds the time left are not started.</summary>
    private const double CostSafety = 1.2;

    public static IReadOnlyList<TrialConfig> Propose(DatasetProfile profile, IReadOnlyList<TrialResult> history,
        IReadOnlyList<TrialConfig> pending, int count, int firstId, double secondsLeft)
    {
        var learners = LearnerCatalog.InPreferredOrder(profile).Where(l => l.Supports(profile) && MemoryEstimate.Fits(l, profile)).ToList();
        var inFlight = pending.ToList();
        var proposals = new List<TrialConfig>();
        for (var slot = 0; slot < count; slot++)
        {
            var state = learners.Select((l, rank) => new LearnerState(l, rank, profile, history, inFlight)).ToList();
            var next = NextFromPortfolio(state, secondsLeft) ?? NextFromLocalSearch(profile, state, history, secondsLeft);
            if (next is null) break;
            var proposal = new TrialConfig(firstId + slot, next.Value.Learner, next.Value.Params);
            proposals.Add(proposal);
            inFlight.Add(proposal);
        }
        return proposals;
    }

    private static (string Learner, IReadOnlyDictionary<string, double> Params)? NextFromPortfolio(
        List<LearnerState> states, double secondsLeft) =>
        states.Where(s => !s.Dead && s.Tried < s.Portfolio.Count && s.AffordableIn(secondsLeft))
            .OrderBy(s => s.Tried + s.Rank).ThenBy(s => s.Rank)
            .Select(s => ((string, IReadOnlyDictionary<string, double>)?)(s.Learner.Name, s.Portfolio[s.Tried]))
            .FirstOrDefault();

    private static (string Learner, IReadOnlyDictionary<string, double> Params)? NextFromLocalSearch(
        DatasetProfile profile, List<LearnerState> states, IReadOnlyList<TrialResult> history, double secondsLeft)
    {
        var gains = history.Where(t => t.Scored).Select(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ToList();
        if (gains.Count == 0) return null;
        var candidates = states.Where(s => s.Incumbent is not null && s.Step >= MinStep && s.AffordableIn(secondsLeft)).ToList();
        if (candidates.Count == 0) return null;
        var chosen = candidates.OrderBy(s => s.Eci(gains.Max(), gains.Min())).ThenBy(s => s.Rank).First();
        return (chosen.Learner.Name, chosen.Neighbor(profile.Seed));
    }

    /// <summary>What the history says about one learner, counting the proposals still in flight as pending.</summary>
    private sealed class LearnerState
    {
        private readonly IReadOnlyList<HyperParameter> _space;
        private readonly List<TrialResult> _done;
        private readonly int _pending;
        private readonly string _metric;
        private readonly int _sinceImprovement;

        public LearnerState(Learner learner, int rank, DatasetProfile profile, IReadOnlyList<TrialResult> history, List<TrialConfig> pending)
        {
            Learner = learner;
            Rank = rank;
            _metric = profile.Metric;
            _space = learner.Space(profile);
            Portfolio = learner.Portfolio(profile);
            _done = history.Where(t => t.Learner == learner.Name).ToList();
            _pending = pending.Count(p => p.Learner == learner.Name);
            Incumbent = _done.Where(t => t.Scored).OrderByDescending(Gain).ThenBy(t => t.TrialId).FirstOrDefault();
            _sinceImprovement = (Incumbent is null ? _done.Count : _done.Count - 1 - _done.IndexOf(Incumbent)) + _pending;
        }

        public Learner Learner { get; }
        public int Rank { get; }
        public IReadOnlyList<IReadOnlyDictionary<string, double>> Portfolio { get; }
        public TrialResult? Incumbent { get; }
        public int Tried => _done.Count + _pending;

        /// <summary>
        /// A learner that never succeeded is dropped after an error, or after two timeouts (one may be bad luck
        /// on a busy machine).
        /// </summary>
        public bool Dead => !_done.Any(t => t.Scored) &&
                            (_done.Any(t => t.Status == TrialStatus.Failed) || _done.Count(t => t.Status == TrialStatus.TimedOut) >= 2);

        /// <summary>The step halves after 2·dimensions proposals without improvement.</summary>
        public double Step => InitialStep * Math.Pow(0.5, _sinceImprovement / (2 * _space.Count));

        private double Cost => _done.Count == 0 ? 0 : Math.Max(0.01, _done.Average(t => t.Seconds));

        public bool AffordableIn(double secondsLeft) => Cost * CostSafety <= secondsLeft;

        private double Gain(TrialResult t) => MetricCatalog.Gain(_metric, t.Score!.Value);

        /// <summary>
        /// Estimated cost for improvement (after FLAML): the time this learner has spent without improving (at least
        /// one trial's cost); when it trails the best learner, also the time its last improvement speed needs to
        /// close the gap. A learner that never improved on its first success is charged in proportion to its gap.
        /// </summary>
        public double Eci(double bestGain, double worstGain)
        {
            var successes = _done.Where(t => t.Scored).ToList();
            var incumbentIndex = _done.IndexOf(Incumbent!);
            var sinceCost = _done.Skip(incumbentIndex + 1).Sum(t => t.Seconds) + _pending * Cost;
            var eci = Math.Max(sinceCost, Cost);
            var gap = bestGain - Gain(Incumbent!);
            if (gap <= 0) return eci;
            var previous = successes.TakeWhile(t => t != Incumbent).Where(t => Gain(t) < Gain(Incumbent!)).LastOrDefault();
            if (previous is null)
                return Math.Max(eci, eci * (1 + 10 * gap / Math.Max(bestGain - worstGain, 1e-9)));
            var timeBetween = _done.Skip(_done.IndexOf(previous) + 1).Take(incumbentIndex - _done.IndexOf(previous)).Sum(t => t.Seconds);
            var speed = (Gain(Incumbent!) - Gain(previous)) / Math.Max(timeBetween, 0.01);
            return Math.Max(eci, gap / speed);
        }

        /// <summary>
        /// The next local-search point: incumbent ± step · direction. Proposals come in pairs sharing a random
        /// direction with opposite signs; the direction is seeded by (seed, learner, incumbent, pair).
        /// </summary>
        public IReadOnlyDictionary<string, double> Neighbor(int seed)
        {
            var pair = _sinceImprovement / 2;
            var sign = _sinceImprovement % 2 == 0 ? 1 : -1;
            var direction = SearchSpace.Direction(_space.Count, SearchSpace.StableHash(seed, Learner.Name, Incumbent!.TrialId, pair));
            return _space.Select((h, i) =>
            {
                var current = Incumbent.Params.TryGetValue(h.Name, out var v) ? v : h.Init;
                return (h.Name, value: SearchSpace.FromUnit(h, SearchSpace.ToUnit(h, current) + sign * Step * direction[i]));
            }).ToDictionary(x => x.Name, x => x.value);
        }
    }
}
