using Serverless.AutoMl.Search;
using Serverless.AutoMl.Training;
using Serverless.AutoMl.Data;
using System.Text.Json;

namespace Serverless.AutoMl.Tests;

public sealed class SearchTests
{
    /// <summary>
    /// Scores a config by a fixed function (by default of its parameters); no training, same answer every time. Each
    /// call takes 2 fake seconds of one slot, so the clock moves 2 / slots per call.
    /// </summary>
    private sealed class FakeExecutor(FakeClock clock, int slots, Func<TrialConfig, TrialResult>? score = null) : ITrialExecutor
    {
        public List<IReadOnlyList<TrialConfig>> Batches { get; } = [];

        public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            Batches.Add(trials);
            clock.Advance(2.0 / slots);
            return Task.FromResult<IReadOnlyList<TrialResult>>([.. trials.Select(score ?? Score)]);
        }
    }

    private static TrialResult Score(TrialConfig c) => new()
    {
        TrialId = c.Id, Learner = c.Learner, Params = c.Params, Status = TrialStatus.Succeeded,
        Score = 0.7 + 0.01 * c.Learner.Length + 0.001 * c.Params.Values.Sum(v => Math.Log(1 + Math.Abs(v))),
        Seconds = 1 + c.Learner.Length * 0.1,
    };

    /// <summary>Every trial scores a little worse than the one before: each local search converges as fast as FLOW2 lets it.</summary>
    private static TrialResult Worsening(TrialConfig c) => new()
    {
        TrialId = c.Id, Learner = c.Learner, Params = c.Params, Status = TrialStatus.Succeeded, Score = 0.9 - 1e-4 * c.Id, Seconds = 0.05,
    };

    /// <summary>Only LightGBM succeeds (worsening), so every other learner is dropped after its first trial.</summary>
    private static TrialResult OnlyLightGbmWorsening(TrialConfig c) =>
        c.Learner == "lightgbm" ? Worsening(c) : Worsening(c) with { Status = TrialStatus.Failed, Score = null };

    /// <summary>Asks the tuner for one trial at a time, scoring each before the next; fails when it has none to give.</summary>
    private static List<TrialConfig> ProposeOneByOne(DatasetProfile profile, Func<TrialConfig, TrialResult> score, int trials)
    {
        var history = new List<TrialResult>();
        var proposals = new List<TrialConfig>();
        for (var id = 1; id <= trials; id++)
        {
            var proposal = Assert.Single(Tuner.Propose(profile, history, [], 1, id, 1000));
            proposals.Add(proposal);
            history.Add(score(proposal));
        }
        return proposals;
    }

    /// <summary>
    /// True when two configurations are a local-search pair around the center: the same step with opposite signs on
    /// every continuous parameter that none of them has at a bound.
    /// </summary>
    private static bool IsPairAround(IReadOnlyList<HyperParameter> space, TrialConfig center, TrialConfig plus, TrialConfig minus)
    {
        static bool Inside(HyperParameter h, IReadOnlyDictionary<string, double> hp) =>
            hp.TryGetValue(h.Name, out var v) && v > h.Low * (1 + 1e-9) && v < h.High * (1 - 1e-9);
        double Unit(HyperParameter h, TrialConfig c) => SearchSpace.ToUnit(h, c.Params[h.Name]);
        var free = space.Where(h => !h.Integer && !h.Choice && Inside(h, center.Params) && Inside(h, plus.Params) && Inside(h, minus.Params)).ToList();
        return free.Count > 0 && free.All(h => Math.Abs(Unit(h, plus) + Unit(h, minus) - 2 * Unit(h, center)) < 1e-9 && Math.Abs(Unit(h, plus) - Unit(h, center)) > 1e-9);
    }

    /// <summary>Positions of the proposals the next two proposals are a local-search pair around: the starts of restarted searches.</summary>
    private static List<int> Restarts(IReadOnlyList<HyperParameter> space, List<TrialConfig> proposals) =>
        [.. Enumerable.Range(1, proposals.Count - 3).Where(k => IsPairAround(space, proposals[k], proposals[k + 1], proposals[k + 2]))];

    private sealed class FakeClock
    {
        private DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public DateTime Now() => _now;

        public void Advance(double seconds) => _now = _now.AddSeconds(seconds);
    }

    private static DatasetProfile Profile(int seed)
    {
        using var dir = new TempDir();
        // Preparation time is measured, so it is fixed here to keep the search's budget identical across runs.
        return new AutoMlEngine(new AutoMlOptions { MaxParallelTrials = 3 }).Prepare(TestFiles.Data("heart-semicolon-bom.csv"),
            new TrainingSpec { Seed = seed, BudgetSeconds = 100, ParallelTrials = 3 }, dir.Path) with { PrepareSeconds = 0 };
    }

    private static async Task<(List<IReadOnlyList<TrialConfig>> Batches, IReadOnlyList<TrialResult> Results, List<SearchProgress> Rounds)> Search(DatasetProfile profile)
    {
        var clock = new FakeClock();
        var executor = new FakeExecutor(clock, profile.ParallelTrials);
        var rounds = new List<SearchProgress>();
        var results = await SearchLoop.RunAsync(profile, executor, clock.Now, rounds.Add);
        return (executor.Batches, results, rounds);
    }

    /// <summary>
    /// The last trial came back shortly before the budget less Finish's reserve: no later (a fake call takes 2 / slots
    /// seconds) and no earlier than a trial's cost with the tuner's safety before it.
    /// </summary>
    private static void AssertTrialsEndedByTheReserve(DatasetProfile profile, IReadOnlyList<TrialResult> history, double elapsed)
    {
        var endBy = profile.BudgetSeconds - FinishReserve.Seconds(profile, history);
        Assert.InRange(elapsed, endBy - 3, endBy + 2.0 / profile.ParallelTrials);
    }

    private static string Describe(IEnumerable<TrialConfig> configs) =>
        string.Join("\n", configs.Select(c => $"{c.Id} {c.Learner} {string.Join(",", c.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value:R}"))}"));

    [Fact]
    public async Task Same_seed_and_results_give_the_same_proposals()
    {
        var profile = Profile(seed: 1);
        var first = await Search(profile);
        var second = await Search(profile);
        Assert.Equal(Describe(first.Batches.SelectMany(b => b)), Describe(second.Batches.SelectMany(b => b)));
        Assert.True(first.Batches.Count > 5, "the search ran several trials");
        Assert.All(first.Batches, b => Assert.Single(b));
    }

    [Fact]
    public void Tuner_is_a_pure_function_of_profile_and_history()
    {
        var profile = Profile(seed: 4);
        var history = Enumerable.Range(1, 12).Select(i => new TrialResult
        {
            TrialId = i, Learner = i % 3 == 0 ? "fasttree" : "lightgbm", Status = TrialStatus.Succeeded, Score = 0.8 + i % 5 * 0.01,
            Params = new Dictionary<string, double>(), Seconds = 1,
        }).ToList();
        var first = Tuner.Propose(profile, history, [], 4, 13, 50);
        var second = Tuner.Propose(profile, history.ToList(), [], 4, 13, 50);
        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal([13, 14, 15, 16], first.Select(c => c.Id));
        Assert.Equal(4, first.Select(c => Describe([c with { Id = 0 }])).Distinct().Count());
    }

    [Fact]
    public void A_converged_local_search_restarts_from_a_new_point_the_same_way_every_time()
    {
        var profile = Profile(seed: 3);
        Assert.Single(profile.Samples());
        // Never improving, LightGBM's search converges after a few dozen trials; before restarts the tuner had nothing more to give.
        var first = ProposeOneByOne(profile, OnlyLightGbmWorsening, 150);
        var again = ProposeOneByOne(profile, OnlyLightGbmWorsening, 150);

        Assert.Equal(Describe(first), Describe(again));
        var lightGbm = first.Where(c => c.Learner == "lightgbm").ToList();
        var space = LearnerCatalog.Get("lightgbm").Space(profile);
        var restart = Restarts(space, lightGbm).First();
        // The first search moved around the cheap start (the best trial); the restart is a new point with a search around it.
        Assert.True(restart > 30, $"the restart came after {restart} LightGBM trials, before its search could converge");
        Assert.Contains(Enumerable.Range(1, restart - 2), j => IsPairAround(space, lightGbm[0], lightGbm[j], lightGbm[j + 1]));
        Assert.DoesNotContain(lightGbm.Take(restart), c => LearnerCatalog.SameConfig(c.Params, lightGbm[restart].Params));
    }

    [Fact]
    public void A_restarted_search_has_its_own_incumbent_and_step()
    {
        var profile = Profile(seed: 3);
        var proposals = ProposeOneByOne(profile, OnlyLightGbmWorsening, 300);
        var lightGbm = proposals.Where(c => c.Learner == "lightgbm").ToList();
        var restarts = Restarts(LearnerCatalog.Get("lightgbm").Space(profile), lightGbm);

        // The restart scores below the learner's best (the cheap start), yet the next pair moves around it: its own incumbent.
        Assert.True(restarts.Count >= 2, $"restarts at {string.Join(", ", restarts)}");
        Assert.True(OnlyLightGbmWorsening(lightGbm[restarts[0]]).Score < OnlyLightGbmWorsening(lightGbm[0]).Score);
        // Its step halved on its own to convergence (the learner's best never changed): it restarted again elsewhere.
        Assert.False(LearnerCatalog.SameConfig(lightGbm[restarts[0]].Params, lightGbm[restarts[1]].Params));
        Assert.True(restarts[1] - restarts[0] > 10, $"the second restart came {restarts[1] - restarts[0]} trials after the first");
    }

    [Fact]
    public async Task Learners_whose_searches_converge_keep_the_search_going_until_the_reserve_line()
    {
        // A long budget for trials this quick: as on a few hundred rows at 300 s, every search converges long before the end.
        var profile = Profile(seed: 1) with { BudgetSeconds = 300 };
        var clock = new FakeClock();
        var executor = new FakeExecutor(clock, profile.ParallelTrials, Worsening);
        var rounds = new List<SearchProgress>();
        var results = await SearchLoop.RunAsync(profile, executor, clock.Now, rounds.Add);

        AssertTrialsEndedByTheReserve(profile, results, rounds[^1].ElapsedSeconds);
    }

    [Fact]
    public async Task A_different_seed_moves_the_local_search_elsewhere()
    {
        var one = await Search(Profile(seed: 1));
        var two = await Search(Profile(seed: 2));
        Assert.NotEqual(Describe(one.Batches.SelectMany(b => b)), Describe(two.Batches.SelectMany(b => b)));
    }

    [Fact]
    public async Task Starts_from_defaults_with_fresh_increasing_ids_and_stops_within_the_budget()
    {
        var profile = Profile(seed: 1);
        var (batches, results, rounds) = await Search(profile);
        var ids = batches.SelectMany(b => b).Select(c => c.Id).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count), ids);
        Assert.Equal(ids, results.Select(r => r.TrialId));
        var first = batches[0][0];
        Assert.Equal("lightgbm", first.Learner);
        Assert.Equal(4, first.Params["numberOfLeaves"]);
        Assert.Contains(batches.SelectMany(b => b), c => c.Learner == "lbfgs");
        // The trials end by the budget less Finish's reserve.
        AssertTrialsEndedByTheReserve(profile, results, rounds[^1].ElapsedSeconds);
        Assert.Equal(rounds.Count, batches.Count);
    }

    [Fact]
    public async Task A_run_whose_measured_trials_are_cheap_proposes_past_three_quarters_of_the_budget()
    {
        var profile = Profile(seed: 1);
        var (batches, results, rounds) = await Search(profile);
        var reserve = FinishReserve.Seconds(profile, results);
        Assert.InRange(reserve, FinishReserve.MinShare * profile.BudgetSeconds, 0.15 * profile.BudgetSeconds);
        Assert.True(rounds[^1].ElapsedSeconds > 0.8 * profile.BudgetSeconds, $"the last trial ended at {rounds[^1].ElapsedSeconds:0.0} s of {profile.BudgetSeconds} s");
        AssertTrialsEndedByTheReserve(profile, results, rounds[^1].ElapsedSeconds);
    }

    [Fact]
    public async Task A_run_whose_refit_is_expected_to_be_expensive_stops_proposing_earlier()
    {
        // A hundred times the rows the folds train on: refitting the lead on every row costs far more than a trial.
        var small = Profile(seed: 1);
        var profile = small with { Rows = small.Rows * 100 };
        var (_, results, rounds) = await Search(profile);
        var reserve = FinishReserve.Seconds(profile, results);
        // The reserve plans the rows that fit in its largest share, so it fills that share (to a row's refit).
        Assert.InRange(reserve, 0.99 * FinishReserve.MaxShare * profile.BudgetSeconds, FinishReserve.MaxShare * profile.BudgetSeconds);
        Assert.True(FinishReserve.Estimate(profile, results).Rows < profile.Rows, "Finish is planned to refit fewer rows than all");
        Assert.True(rounds[^1].ElapsedSeconds < 0.75 * profile.BudgetSeconds, $"the last trial ended at {rounds[^1].ElapsedSeconds:0.0} s of {profile.BudgetSeconds} s");
        AssertTrialsEndedByTheReserve(profile, results, rounds[^1].ElapsedSeconds);
    }

    [Fact]
    public void The_finish_reserve_is_a_fixed_share_until_a_trial_scores_then_grows_with_the_measured_refits()
    {
        var profile = Profile(seed: 1);
        TrialResult Trial(int id, double fitSeconds, TrialStatus status = TrialStatus.Succeeded) => new()
        {
            TrialId = id, Learner = "lightgbm", Params = new Dictionary<string, double>(), Status = status,
            Score = status == TrialStatus.Succeeded ? 0.8 : null, Seconds = fitSeconds + 0.1, FitSeconds = fitSeconds,
        };
        var searchSeconds = FinishReserve.SearchSeconds(profile);
        Assert.True(profile.FeaturizeSecondsPerRow > 0, "Prepare measured how fast it featurized the first folds");

        Assert.Equal(FinishReserve.UnmeasuredShare * searchSeconds, FinishReserve.Seconds(profile, []), 6);
        Assert.Equal(FinishReserve.UnmeasuredShare * searchSeconds, FinishReserve.Seconds(profile, [Trial(1, 50, TrialStatus.TimedOut)]), 6);
        var cheap = FinishReserve.Seconds(profile, [Trial(1, 0.01)]);
        var dearer = FinishReserve.Seconds(profile, [Trial(1, 0.01), Trial(2, 20)]);
        Assert.InRange(cheap, FinishReserve.MinShare * searchSeconds, 0.1 * searchSeconds);
        Assert.True(dearer > cheap + 1, $"{dearer} > {cheap} + 1");
        Assert.Equal(FinishReserve.MaxShare * searchSeconds, FinishReserve.Seconds(profile, [Trial(1, 500)]), 6);
        // Only the best few trials are planned as members: a slow trial below them does not grow the reserve.
        var best = Enumerable.Range(1, 4).Select(i => Trial(i, 0.01) with { Score = 0.9 }).ToList();
        Assert.Equal(FinishReserve.Seconds(profile, best), FinishReserve.Seconds(profile, [.. best, Trial(5, 200)]), 6);
    }

    /// <summary>
    /// The 1M-row benchmark's profile (120 s, a 25,000-row holdout, samples from 40,000 rows, Prepare's first folds
    /// featurized at 38 µs a row) and its three best trials, as measured there: two LightGBMs that stop early and a
    /// FastTree, all on the 40,000-row sample.
    /// </summary>
    private static (DatasetProfile Profile, List<TrialResult> Best) LargeRun()
    {
        var small = Profile(seed: 1);
        var profile = small with
        {
            Rows = 1_000_000, SourceRows = 1_000_000, BudgetSeconds = 120, PrepareSeconds = 7, Folds = 1, EvaluationRows = 25_000,
            SampleSizes = [40_000, 160_000, 640_000, 975_000], FeaturizeSecondsPerRow = 38e-6,
        };
        TrialResult Trial(int id, string learner, double score, double fitSeconds, int? iterations) => new()
        {
            TrialId = id, Learner = learner, Params = new Dictionary<string, double> { [DataChoices.SampleRows] = 40_000 },
            Status = TrialStatus.Succeeded, Score = score, Seconds = fitSeconds + 0.5, FitSeconds = fitSeconds, Iterations = iterations,
        };
        return (profile, [Trial(21, "lightgbm", 0.814, 3.36, 150), Trial(29, "lightgbm", 0.813, 4.16, 100), Trial(12, "fasttree", 0.809, 9.16, null)]);
    }

    [Fact]
    public void A_refit_is_estimated_from_the_rows_its_trial_read_and_the_rounds_the_refit_runs()
    {
        var (profile, best) = LargeRun();
        var lightGbm = best[0];
        // Measured in the 1M-row run: this trial's refit on 125,000 rows took 8.5 s (scaling its fit from its 40,000
        // training rows alone said 11.6 s: its fit also scored the 25,000 validation rows every round).
        Assert.InRange(RefitPlan.Seconds(profile, lightGbm, 125_000), 0.9 * 8.46, 1.15 * 8.46);
        // On the rows its fit read, a refit costs the fit times the few more rounds the refit runs.
        var fitRows = 40_000 + 25_000;
        Assert.Equal(lightGbm.FitSeconds!.Value * RefitPlan.RoundsFactor(profile, LearnerCatalog.Get("lightgbm"), 40_000, fitRows),
            RefitPlan.Seconds(profile, lightGbm, fitRows), 6);
        // A learner without early stopping read only its training rows, and its refit keeps its rounds.
        Assert.Equal(best[2].FitSeconds!.Value * 2, RefitPlan.Seconds(profile, best[2], 80_000), 6);
    }

    [Fact]
    public void Finish_refits_on_the_most_rows_its_time_allows()
    {
        var (profile, best) = LargeRun();
        var members = best.Take(1).ToList();
        foreach (var seconds in new[] { 12.0, 30, 45 })
        {
            var rows = RefitPlan.Rows(profile, members, seconds, 14e-6);
            Assert.InRange(RefitPlan.Seconds(profile, members, rows, 14e-6), 0.99 * seconds, seconds);
        }
        Assert.Equal(profile.Rows, RefitPlan.Rows(profile, members, 1e4, 14e-6));
        // Too little time for even the rows the trial trained on: those, not fewer.
        Assert.Equal(40_000, RefitPlan.Rows(profile, members, 0.1, 14e-6));
    }

    [Fact]
    public void A_large_data_reserve_is_sized_to_the_rows_Finish_will_refit()
    {
        var (profile, best) = LargeRun();
        var lead = best.Take(1).ToList();
        var history = best.Concat(Enumerable.Range(1, 8).Select(i => best[2] with { TrialId = 100 + i, Score = 0.7 })).ToList();
        var searchSeconds = FinishReserve.SearchSeconds(profile);
        var reserve = FinishReserve.Seconds(profile, history);
        var planned = FinishReserve.Estimate(profile, history);
        var rows = planned.Rows;

        // Refitting the lead on every row would take far more than the largest reserve: the reserve plans the rows that
        // fit in it, as Finish caps them, and fills it.
        Assert.True(RefitPlan.Seconds(profile, lead, profile.Rows, profile.FeaturizeSecondsPerRow) > FinishReserve.MaxShare * searchSeconds);
        Assert.InRange(rows, 40_001, profile.Rows - 1);
        Assert.InRange(reserve, 0.99 * FinishReserve.MaxShare * searchSeconds, FinishReserve.MaxShare * searchSeconds);
        Assert.Equal(planned.FeaturizeSeconds + planned.RefitSeconds,
            RefitPlan.Seconds(profile, lead, rows, profile.FeaturizeSecondsPerRow), 6);
        // Given the time the reserve leaves it, Finish (planning with the same rule) refits the lead on at least those rows.
        var allowance = Finisher.RefitAllowance(profile, reserve - Finisher.EndMarginOf(profile), planned.ImportanceSeconds);
        Assert.True(RefitPlan.Rows(profile, lead, allowance, profile.FeaturizeSecondsPerRow) >= rows);
    }

    /// <summary>
    /// A 26-class run's shape (16,000 rows, a 3,200-row holdout, trials on all 12,800 training rows), with the best
    /// trials as slow as measured there: the lead's refit alone fits well inside the largest reserve, the three best's did not.
    /// </summary>
    private static (DatasetProfile Profile, List<TrialResult> History) ManyClassRun()
    {
        var small = Profile(seed: 1);
        var profile = small with
        {
            Rows = 16_000, SourceRows = 16_000, BudgetSeconds = 60, PrepareSeconds = 1, Folds = 1, EvaluationRows = 3_200,
            SampleSizes = [12_800], FeaturizeSecondsPerRow = 27e-6,
        };
        TrialResult Trial(int id, string learner, double score, double fitSeconds) => new()
        {
            TrialId = id, Learner = learner, Params = new Dictionary<string, double> { [DataChoices.SampleRows] = 12_800 },
            Status = TrialStatus.Succeeded, Score = score, Seconds = fitSeconds + 0.2, FitSeconds = fitSeconds,
        };
        return (profile, [Trial(9, "kernel", 0.963, 8), Trial(3, "kernel", 0.954, 5.4), Trial(4, "lbfgs", 0.951, 11.5), Trial(6, "sdca", 0.937, 2.1)]);
    }

    [Fact]
    public void The_reserve_plans_the_lead_refit_alone_as_further_members_join_only_when_Finish_has_time_for_them()
    {
        var (profile, history) = ManyClassRun();
        var lead = history.Take(1).ToList();
        var searchSeconds = FinishReserve.SearchSeconds(profile);
        var reserve = FinishReserve.Seconds(profile, history);
        var planned = FinishReserve.Estimate(profile, history);

        // The three best's refits would fill the largest reserve; the lead's alone, on every row, does not.
        Assert.True(RefitPlan.Seconds(profile, history.Take(3).ToList(), profile.Rows, profile.FeaturizeSecondsPerRow) > FinishReserve.MaxShare * searchSeconds);
        Assert.Equal(profile.Rows, planned.Rows);
        Assert.Equal(planned.FeaturizeSeconds + planned.RefitSeconds, RefitPlan.Seconds(profile, lead, profile.Rows, profile.FeaturizeSecondsPerRow), 6);
        Assert.True(reserve < 0.3 * searchSeconds, $"reserve {reserve:0.0} s of {searchSeconds:0.0} s");
        // The members ranked below the lead do not move it, however slow their refits.
        Assert.Equal(reserve, FinishReserve.Seconds(profile, [lead[0], .. history.Skip(1).Select(t => t with { FitSeconds = 10 * t.FitSeconds })]), 6);
        // Given the time the reserve leaves it, Finish refits that lead on every row.
        var allowance = Finisher.RefitAllowance(profile, reserve - Finisher.EndMarginOf(profile), planned.ImportanceSeconds);
        Assert.Equal(profile.Rows, RefitPlan.Rows(profile, lead, allowance, profile.FeaturizeSecondsPerRow));
    }

    [Fact]
    public void The_safety_margin_covers_the_lead_refit_on_its_training_rows_not_the_rows_Finish_may_add()
    {
        var (profile, history) = ManyClassRun();
        double Reserve(DatasetProfile p) => FinishReserve.Seconds(p, history);
        double Other(DatasetProfile p) => FinishReserve.Estimate(p, history).ImportanceSeconds + Finisher.EndMarginOf(p);

        // Trained on every prepared row: Finish cannot refit on fewer, so all of its work gets the margin.
        var whole = profile with { Rows = 12_800, SourceRows = 12_800 };
        var wholePlan = FinishReserve.Estimate(whole, history);
        Assert.Equal(wholePlan.Work, wholePlan.FloorWork, 6);
        Assert.Equal(FinishReserve.Safety * wholePlan.Work + Other(whole), Reserve(whole), 6);

        // Twice those rows: refitting on all of them is planned (it fits), but only the part Finish cannot drop
        // gets the margin: the reserve is the larger of the two, not the whole work times the margin.
        var more = profile with { Rows = 25_600, SourceRows = 25_600 };
        var morePlan = FinishReserve.Estimate(more, history);
        Assert.Equal(more.Rows, morePlan.Rows);
        Assert.True(morePlan.Work > FinishReserve.Safety * morePlan.FloorWork, $"{morePlan.Work} > {FinishReserve.Safety} × {morePlan.FloorWork}");
        Assert.Equal(morePlan.Work + Other(more), Reserve(more), 6);
    }

    [Fact]
    public async Task Proposals_stay_inside_the_search_space()
    {
        var (batches, _, _) = await Search(Profile(seed: 3));
        foreach (var config in batches.SelectMany(b => b).Where(c => c.Learner == "lightgbm"))
        {
            Assert.InRange(config.Params["learningRate"], 1.0 / 1024, 1);
            Assert.InRange(config.Params["featureFraction"], 0.1, 1);
            Assert.Equal(Math.Round(config.Params["numberOfLeaves"]), config.Params["numberOfLeaves"]);
        }
    }

    [Fact]
    public void The_first_proposal_is_the_cheap_fallback_and_only_it_may_use_the_whole_trial_window()
    {
        var profile = Profile(seed: 1);
        var first = Assert.Single(Tuner.Propose(profile, [], [], 1, 1, 75));
        Assert.Equal("lightgbm", first.Learner);
        Assert.Equal(4, first.Params["numberOfLeaves"]);
        Assert.Equal(32, first.Params["numberOfIterations"]);
        Assert.InRange(first.TimeoutSeconds!.Value, 75, profile.BudgetSeconds);
        Assert.True(first.TimeoutSeconds > profile.TrialTimeoutSeconds);

        var second = Assert.Single(Tuner.Propose(profile, [], [first], 1, 2, 75));
        Assert.NotEqual("lightgbm", second.Learner);
        Assert.InRange(second.TimeoutSeconds!.Value, 1, profile.TrialTimeoutSeconds);
    }

    [Fact]
    public async Task No_configuration_is_proposed_twice()
    {
        var (batches, _, _) = await Search(Profile(seed: 2));
        var configs = batches.SelectMany(b => b).Select(c => Describe([c with { Id = 0 }])).ToList();
        Assert.True(configs.Count > 20, $"{configs.Count} proposals");
        Assert.Equal(configs.Count, configs.Distinct().Count());
    }

    [Fact]
    public async Task The_sample_grows_to_all_rows_once_the_small_one_has_been_searched()
    {
        var profile = Profile(seed: 1);
        var full = profile.SampleSizes[^1];
        profile = profile with { SampleSizes = [full / 4, full] };
        var (batches, _, _) = await Search(profile);
        var proposals = batches.SelectMany(b => b).ToList();

        Assert.Equal(full / 4, proposals[0].Params["sampleRows"]);
        var grown = proposals.Where(c => !c.Params.ContainsKey("sampleRows")).ToList();
        Assert.NotEmpty(grown);
        // A learner's first trial on all rows is its best configuration on the sample, moved up.
        var first = grown[0];
        var onSample = proposals.Where(c => c.Learner == first.Learner && c.Id < first.Id && c.Params.ContainsKey("sampleRows"))
            .Select(c => c.Params.Where(p => p.Key != "sampleRows").ToDictionary());
        Assert.Contains(onSample, p => p.Count == first.Params.Count && p.All(x => first.Params[x.Key] == x.Value));
    }

    /// <summary>Trials that end when the test says so, to watch what the loop does while others still run.</summary>
    private sealed class ManualExecutor : ITrialExecutor
    {
        public List<(TrialConfig Config, TaskCompletionSource<IReadOnlyList<TrialResult>> Done)> Started { get; } = [];

        public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            var done = new TaskCompletionSource<IReadOnlyList<TrialResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
            Started.Add((Assert.Single(trials), done));
            return done.Task;
        }

        public void Finish(int index) => Started[index].Done.SetResult([Score(Started[index].Config)]);
    }

    [Fact]
    public async Task A_free_slot_gets_its_next_trial_while_the_other_slots_still_run()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 3600 };
        var executor = new ManualExecutor();
        var clock = new FakeClock();
        var search = SearchLoop.RunAsync(profile, executor, clock.Now);

        Assert.Equal(3, executor.Started.Count);
        executor.Finish(1);
        await WaitUntil(() => executor.Started.Count == 4);
        Assert.False(executor.Started[0].Done.Task.IsCompleted || executor.Started[2].Done.Task.IsCompleted);
        // The new trial is not a copy of one still running.
        Assert.Equal(4, executor.Started.Select(s => Describe([s.Config with { Id = 0 }])).Distinct().Count());

        clock.Advance(3600);
        foreach (var i in new[] { 0, 2, 3 }) executor.Finish(i);
        var results = await search;
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.TrialId).Order());
    }

    /// <summary>
    /// A remote executor as the loop sees it: each call travels for <paramref name="roundTripSeconds"/> on top of its
    /// trials, which run one after another and each take <paramref name="trialSeconds"/>; the calls run side by side,
    /// so the clock moves a share of that per call.
    /// </summary>
    private sealed class RemoteExecutor(FakeClock clock, int inFlight, double roundTripSeconds, Func<TrialConfig, double> trialSeconds) : ITrialExecutor
    {
        public RemoteExecutor(FakeClock clock, int inFlight, double roundTripSeconds, double trialSeconds)
            : this(clock, inFlight, roundTripSeconds, _ => trialSeconds)
        {
        }

        public List<IReadOnlyList<TrialConfig>> Calls { get; } = [];

        public bool CallsAreRemote => true;

        public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            Calls.Add(trials);
            clock.Advance((roundTripSeconds + trials.Sum(trialSeconds)) / inFlight);
            return Task.FromResult<IReadOnlyList<TrialResult>>([.. trials.Select(t => Score(t) with { Seconds = trialSeconds(t) })]);
        }
    }

    /// <summary>A fixed list: one trial of each named learner, in order, then <paramref name="more"/> trials of the last.</summary>
    private static List<TrialConfig> FixedList(IEnumerable<string> learners, int more)
    {
        var names = learners.ToList();
        return [.. names.Concat(Enumerable.Repeat(names[^1], more))
            .Select((learner, i) => new TrialConfig(i + 1, learner, new Dictionary<string, double> { ["n"] = i }))];
    }

    /// <summary>
    /// Runs a fixed list through remote calls on the heart profile (three slots). <paramref name="trainRows"/> stands for
    /// larger data: the rows the cost model sees a trial train on in each fold before any trial has come back.
    /// </summary>
    private static async Task<List<IReadOnlyList<TrialConfig>>> RunRemote(IReadOnlyList<TrialConfig> proposals, Func<TrialConfig, double> trialSeconds,
        int? trainRows = null)
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 3600 };
        if (trainRows is { } rows)
            profile = profile with { SampleSizes = [rows] };
        var clock = new FakeClock();
        var executor = new RemoteExecutor(clock, profile.ParallelTrials, roundTripSeconds: 0.1, trialSeconds);
        await SearchLoop.RunAsync(profile, executor, clock.Now, new SearchOptions { Proposals = proposals }, resume: null);
        Assert.Equal(Enumerable.Range(1, proposals.Count), executor.Calls.SelectMany(c => c).Select(t => t.Id));
        return executor.Calls;
    }

    [Fact]
    public async Task Unmeasured_cheap_learners_share_a_bundle_once_one_learner_is_measured()
    {
        var proposals = FixedList(["lightgbm", "lightgbm", "lightgbm", "lightgbm", "lbfgs", "sdca", "fastforest", "fasttree"], more: 200);
        var calls = await RunRemote(proposals, _ => 0.05, trainRows: ExpensiveTrainRows);

        // Three slots and one queued call: the first four calls leave before any result, and on data this large the
        // cost model expects each trial beyond a bundle's time, so each carries one trial.
        Assert.All(calls.Take(4), c => Assert.Single(c));
        // Then lightgbm's 0.05 s is known: the other learners' first trials (estimated at 6 × 0.05 s each) go in one
        // bundle, with more trials after them.
        var fifth = calls[4];
        Assert.Equal(["lbfgs", "sdca", "fastforest", "fasttree"], fifth.Take(4).Select(t => t.Learner));
        Assert.True(fifth.Count > 4, $"{fifth.Count} trials");
    }

    [Fact]
    public async Task An_unmeasured_learner_expected_to_be_expensive_goes_alone()
    {
        // lightgbm's trials take 1.5 s: fasttree's first trial is estimated at 9 s, beyond a bundle's 4 s.
        var proposals = FixedList(["lightgbm", "lightgbm", "lightgbm", "lightgbm", "fasttree", "lightgbm"], more: 20);
        var calls = await RunRemote(proposals, t => t.Learner == "lightgbm" ? 1.5 : 0.05, trainRows: ExpensiveTrainRows);

        Assert.Single(calls, c => c.Any(t => t.Learner == "fasttree") && c.Count == 1);
        Assert.Contains(calls, c => c.Count == 2);
    }

    /// <summary>Training rows per fold on which the cost model's reference trial (5 folds) takes minutes.</summary>
    private const int ExpensiveTrainRows = 2_000_000;

    [Fact]
    public async Task Before_any_trial_has_come_back_a_fixed_lists_cheap_trials_share_the_first_calls()
    {
        var proposals = FixedList(["lightgbm", "lbfgs", "sdca", "fastforest", "fasttree"], more: 45);
        var calls = await RunRemote(proposals, _ => 0.05);

        // Four calls leave before any result (three slots, one queued). The cost model expects the heart data's trials
        // to take milliseconds, so the list is split over those calls by count: a quarter of what is left each.
        Assert.Equal([12, 9, 7, 5], calls.Take(4).Select(c => c.Count));
        Assert.Equal(["lightgbm", "lbfgs", "sdca", "fastforest", "fasttree"], calls[0].Take(5).Select(t => t.Learner));
    }

    [Fact]
    public async Task Before_any_trial_has_come_back_a_trial_the_cost_model_expects_to_be_expensive_goes_alone()
    {
        // The first trial trains on far more rows than the others: minutes by the cost model, beyond a bundle's 4 s.
        var proposals = FixedList(["lightgbm"], more: 49);
        proposals[0] = proposals[0] with { Params = new Dictionary<string, double> { [DataChoices.SampleRows] = ExpensiveTrainRows } };
        var calls = await RunRemote(proposals, _ => 0.05);

        Assert.Single(calls[0]);
        Assert.All(calls.Skip(1).Take(3), c => Assert.True(c.Count > 1, $"{c.Count} trials"));
    }

    [Fact]
    public async Task Before_any_trial_has_come_back_the_tuners_cheap_starts_go_one_per_call()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 400 };
        var executor = new ManualRemoteExecutor();
        _ = SearchLoop.RunAsync(profile, executor, new FakeClock().Now);
        await WaitUntil(() => executor.Calls.Count == profile.ParallelTrials + SearchLoop.QueuedCalls(profile.ParallelTrials));

        // The tuner has only its learners' starts to give until a result is back: bundled, they would fill one call.
        Assert.All(executor.Calls, c => Assert.Single(c));
        Assert.Equal(executor.Calls.Count, executor.Calls.Select(c => c[0].Learner).Distinct().Count());
    }

    [Fact]
    public async Task A_short_fixed_list_is_split_over_the_calls_in_flight_instead_of_filling_one_bundle()
    {
        // 50 trials of 0.05 s fit one 4 s bundle, which would leave every slot but one idle.
        var calls = await RunRemote(FixedList(["lightgbm"], more: 49), _ => 0.05);

        // Four calls in flight (three slots and one queued): at most a quarter of what is left goes in a bundle.
        Assert.InRange(calls.Max(c => c.Count), 2, 50 / 4);
        Assert.True(calls.Count >= 8, $"{calls.Count} calls");
    }

    [Fact]
    public async Task Remote_calls_carry_short_trials_in_bundles_of_a_few_seconds_by_their_measured_cost()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 400 };
        var clock = new FakeClock();
        var executor = new RemoteExecutor(clock, profile.ParallelTrials, roundTripSeconds: 0.1, trialSeconds: 0.05);
        // The first 20 calls: with restarts the search would go on for thousands of these 0.05 s trials.
        var results = (await SearchLoop.RunAsync(profile, executor, clock.Now, new SearchOptions { CallsPerSegment = 20 }, resume: null)).History;

        // The first call goes alone (no cost is known yet); then bundles fill up to 4 s, i.e. 80 trials, capped at
        // MaxBundleTrials.
        Assert.Single(executor.Calls[0]);
        Assert.Contains(executor.Calls, c => c.Count == SearchLoop.MaxBundleTrials);
        Assert.All(executor.Calls, c => Assert.InRange(c.Count, 1, SearchLoop.MaxBundleTrials));
        Assert.Equal(Enumerable.Range(1, results.Count), executor.Calls.SelectMany(c => c).Select(t => t.Id));
    }

    [Fact]
    public async Task A_short_budget_gets_short_bundles()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 40 };
        var clock = new FakeClock();
        var executor = new RemoteExecutor(clock, profile.ParallelTrials, roundTripSeconds: 0.1, trialSeconds: 0.05);
        await SearchLoop.RunAsync(profile, executor, clock.Now);
        // 2.5% of 40 s is 1 s: 20 trials of 0.05 s.
        Assert.Contains(executor.Calls, c => c.Count == 20);
        Assert.All(executor.Calls, c => Assert.InRange(c.Count, 1, 20));
    }

    [Fact]
    public async Task Trials_longer_than_a_bundle_go_one_per_call()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 400 };
        var clock = new FakeClock();
        var executor = new RemoteExecutor(clock, profile.ParallelTrials, roundTripSeconds: 0.1, trialSeconds: 5);
        await SearchLoop.RunAsync(profile, executor, clock.Now);
        Assert.True(executor.Calls.Count > 10);
        Assert.All(executor.Calls, c => Assert.Single(c));
    }

    /// <summary>Calls that end when the test says so, reported as remote.</summary>
    private sealed class ManualRemoteExecutor : ITrialExecutor
    {
        public List<IReadOnlyList<TrialConfig>> Calls { get; } = [];

        public bool CallsAreRemote => true;

        public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            Calls.Add(trials);
            return new TaskCompletionSource<IReadOnlyList<TrialResult>>().Task;
        }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(8, 3)]
    public async Task Remote_calls_keep_a_few_queued_beyond_the_slots(int slots, int queued)
    {
        var executor = new ManualRemoteExecutor();
        var proposals = Enumerable.Range(1, 30).Select(i => new TrialConfig(i, "sdca", new Dictionary<string, double> { ["l2"] = i })).ToList();
        _ = SearchLoop.RunAsync(Profile(seed: 1) with { ParallelTrials = slots }, executor, new FakeClock().Now,
            new SearchOptions { Proposals = proposals }, resume: null);
        await WaitUntil(() => executor.Calls.Count == slots + queued);
        Assert.Equal(queued, SearchLoop.QueuedCalls(slots));
    }

    [Fact]
    public async Task A_search_stopped_after_some_calls_continues_from_its_state_to_the_end()
    {
        var profile = Profile(seed: 1);
        var clock = new FakeClock();
        var executor = new FakeExecutor(clock, profile.ParallelTrials);
        var options = new SearchOptions { CallsPerSegment = 4 };
        var segments = new List<SearchState>();
        SearchState? state = null;
        do
        {
            state = await SearchLoop.RunAsync(profile, executor, clock.Now, options, state);
            segments.Add(state);
        }
        while (!state.Finished);

        Assert.True(segments.Count > 3, $"{segments.Count} segments");
        Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.Equal(pair.First.History, pair.Second.History.Take(pair.First.History.Count)));
        Assert.All(segments.Zip(segments.Skip(1)), pair => Assert.InRange(pair.Second.Completed - pair.First.Completed, 0, 4));
        Assert.Equal(Enumerable.Range(1, state.History.Count), executor.Batches.SelectMany(b => b).Select(c => c.Id));
        Assert.Equal(executor.Batches.Count, state.Completed);
        AssertTrialsEndedByTheReserve(profile, state.History, state.ElapsedSeconds);
    }

    [Fact]
    public async Task Given_proposals_run_in_order_instead_of_the_tuners()
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 3600 };
        var proposals = Enumerable.Range(1, 5).Select(i => new TrialConfig(100 + i, "sdca", new Dictionary<string, double> { ["l2"] = i })).ToList();
        var clock = new FakeClock();
        var executor = new FakeExecutor(clock, profile.ParallelTrials);
        var state = await SearchLoop.RunAsync(profile, executor, clock.Now, new SearchOptions { Proposals = proposals }, resume: null);

        Assert.True(state.Finished);
        Assert.Equal(Describe(proposals.Select((p, i) => p with { Id = i + 1 })), Describe(executor.Batches.SelectMany(b => b)));
    }

    /// <summary>Like <see cref="FakeExecutor"/> (each trial a tenth of a fake second, scores that vary with the
    /// configuration), and remembers what the search told it to forget.</summary>
    private sealed class ForgettingExecutor(FakeClock clock) : ITrialExecutor
    {
        public int Trials { get; private set; }
        public List<int> Forgotten { get; } = [];

        public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials)
        {
            Trials += trials.Count;
            clock.Advance(0.1 * trials.Count);
            return Task.FromResult<IReadOnlyList<TrialResult>>([.. trials.Select(c => Score(c) with { Seconds = 0.1 })]);
        }

        public void Forget(IReadOnlyList<int> trialIds) => Forgotten.AddRange(trialIds);
    }

    private const int LongRunTrials = 3 * RetainedTrials.Cap;

    /// <summary>A search of <see cref="LongRunTrials"/> trials in segments, each state through JSON as a checkpoint travels.</summary>
    private static async Task<(List<SearchState> States, List<string> Checkpoints, ForgettingExecutor Executor)> LongRun(bool throughJson = true)
    {
        var profile = Profile(seed: 1) with { BudgetSeconds = 86_400 };
        var clock = new FakeClock();
        var executor = new ForgettingExecutor(clock);
        var (states, checkpoints) = (new List<SearchState>(), new List<string>());
        SearchState? state = null;
        while (executor.Trials < LongRunTrials)
        {
            state = await SearchLoop.RunAsync(profile, executor, clock.Now, new SearchOptions { CallsPerSegment = 500 }, state);
            checkpoints.Add(JsonSerializer.Serialize(state, Json));
            if (throughJson) state = JsonSerializer.Deserialize<SearchState>(checkpoints[^1], Json)!;
            states.Add(state);
        }
        return (states, checkpoints, executor);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One long run shared by the tests that only read it (it takes a while).</summary>
    private static readonly Lazy<Task<(List<SearchState> States, List<string> Checkpoints, ForgettingExecutor Executor)>> SharedLongRun =
        new(() => LongRun());

    [Fact]
    public async Task A_long_search_keeps_a_history_and_a_checkpoint_that_stop_growing_with_its_trials()
    {
        var (states, checkpoints, executor) = await SharedLongRun.Value;

        var last = states[^1];
        Assert.Equal(executor.Trials, last.Trials);
        Assert.True(last.Trials >= LongRunTrials, $"{last.Trials} trials");
        Assert.All(states, s => Assert.InRange(s.History.Count, 0, RetainedTrials.Cap));
        // Up to the cap nothing is dropped: an ordinary run keeps (and proposes from) every trial.
        Assert.All(states.Where(s => s.Trials <= RetainedTrials.Cap), s => Assert.Equal(s.Trials, s.History.Count));
        // Once the history reached the cap, tripling the trials did not grow the checkpoint.
        var atCap = checkpoints.Zip(states).First(x => x.Second.Trials >= RetainedTrials.Cap).First.Length;
        Assert.All(checkpoints.Zip(states).Where(x => x.Second.Trials >= RetainedTrials.Cap), x => Assert.InRange(x.First.Length, 0, 1.1 * atCap));
        Assert.True(last.History.Count < last.Trials / 2, $"{last.History.Count} of {last.Trials} trials kept");
    }

    [Fact]
    public async Task A_long_search_forgets_only_trials_it_no_longer_keeps_and_keeps_the_best_ones_for_finish()
    {
        var (states, _, executor) = await SharedLongRun.Value;

        var last = states[^1];
        var kept = last.History.Select(t => t.TrialId).ToHashSet();
        Assert.DoesNotContain(executor.Forgotten, kept.Contains);
        Assert.Equal(Enumerable.Range(1, last.Trials), kept.Concat(executor.Forgotten).Order());
        var profile = Profile(seed: 1);
        var best = last.History.Where(t => t.Scored).Max(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value));
        Assert.Equal(states.SelectMany(s => s.History).Where(t => t.Scored).Max(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)), best);
        Assert.Equal(last.Trials, last.Counts.Trials);
    }

    [Fact]
    public async Task A_long_search_resumed_from_json_checkpoints_proposes_as_it_does_from_its_own_states()
    {
        var throughJson = await SharedLongRun.Value;
        var inMemory = await LongRun(throughJson: false);

        Assert.Equal(inMemory.Checkpoints, throughJson.Checkpoints);
        Assert.Equal(inMemory.Executor.Forgotten, throughJson.Executor.Forgotten);
    }

    [Fact]
    public void Up_to_the_cap_the_history_is_kept_whole_and_past_it_the_best_and_the_recent_trials_stay()
    {
        var profile = Profile(seed: 1);
        var history = Enumerable.Range(1, RetainedTrials.Cap + 1).Select(i => new TrialResult
        {
            TrialId = i, Learner = "lightgbm", Status = TrialStatus.Succeeded, Score = 0.5 + (i * 7919 % 1000) / 4000.0,
            Params = new Dictionary<string, double> { ["rounds"] = 10 + i }, Seconds = 1,
        }).ToList();

        var (whole, none) = RetainedTrials.Trim(profile, history[..RetainedTrials.Cap]);
        Assert.Equal(RetainedTrials.Cap, whole.Count);
        Assert.Empty(none);

        var (kept, dropped) = RetainedTrials.Trim(profile, history);
        Assert.InRange(kept.Count, RetainedTrials.Recent, RetainedTrials.Recent + RetainedTrials.Best + 2);
        Assert.Equal(history.Count, kept.Count + dropped.Count);
        Assert.Subset(kept.Select(t => t.TrialId).ToHashSet(), history.TakeLast(RetainedTrials.Recent).Select(t => t.TrialId).ToHashSet());
        var best = history.OrderByDescending(t => MetricCatalog.Gain(profile.Metric, t.Score!.Value)).ThenBy(t => t.TrialId).Take(RetainedTrials.Best);
        Assert.Subset(kept.Select(t => t.TrialId).ToHashSet(), best.Select(t => t.TrialId).ToHashSet());
        Assert.Equal(kept.Select(t => t.TrialId).Order(), kept.Select(t => t.TrialId));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
