using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Picks the winner (a single model or a greedy ensemble), refits it on as many rows as the time left allows (all of
/// them when it can), computes permutation importance until its deadline and packages the model. It always returns a
/// model for valid data: when no trial completed, it trains the cheapest configurations itself, without a timeout.
/// </summary>
internal static class Finisher
{
    /// <summary>Trials a greedy ensemble draws from.</summary>
    private const int MaxCandidates = 15;
    /// <summary>
    /// Out-of-fold values the cross-fitted choice reads at most: the best trials up to MaxPool, so that choosing the best
    /// trial on half the rows sees (nearly) every contender, as the search did.
    /// </summary>
    private const double MaxPoolValues = 4e6;
    private const int MaxPool = 64;
    /// <summary>Share of the budget left at the end for writing the model and the caller's own work (at least EndMarginSeconds).</summary>
    private const double EndMargin = 0.03;
    private const double EndMarginSeconds = 1;
    /// <summary>Share of Finish's time permutation importance may plan to take (at most ImportanceShare of the budget).</summary>
    private const double ImportanceShareOfFinish = 0.2;
    /// <summary>Share of the budget permutation importance may take at most.</summary>
    public const double ImportanceShare = 0.04;
    private const double MinImportanceShare = 0.025;
    private const double MaxCachedBytes = 512e6;
    /// <summary>Share of the budget a run may overrun (the benchmark's tolerance): a better model may use it.</summary>
    private const double ToleratedOverrun = 0.05;

    public static ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, AutoMlOptions options, CancellationToken ct,
        TrialCounts? counts = null)
    {
        var clock = Stopwatch.StartNew();
        var profile = WorkDir.ReadProfile(workDir);
        var end = (profile.StartedAtUtc ?? DateTime.UtcNow) + TimeSpan.FromSeconds(profile.BudgetSeconds - EndMarginOf(profile));
        double SecondsLeft() => Math.Max(0, (end - DateTime.UtcNow).TotalSeconds);
        var notes = profile.Notes.ToList();
        var history = trials.ToList();
        var ranked = Ranked(workDir, profile, history);
        var fallback = ranked.Count == 0;
        if (fallback)
        {
            ranked = [TrainCheapest(workDir, profile, history, ct)];
            notes.Add("No trial of the search completed in time, so the model is the cheapest configuration, trained after the search without a time limit.");
        }

        var table = PreparedTable.Read(WorkDir.DataPath(workDir));
        var labels = WorkDir.ReadValues(WorkDir.LabelsPath(workDir));
        var featurizeSecondsPerRow = FoldCache.SecondsPerRow(workDir, profile);
        var allowance = RefitAllowance(profile, SecondsLeft(),
            PermutationImportance.EstimatedSeconds(profile, RefitPlan.PlannedMembers(profile, ranked), options.ImportanceSampleRows));
        var (best, members, metrics) = ChooseMembers(workDir, profile, labels, ranked, allowance, featurizeSecondsPerRow, notes);
        OutOfFoldPredictions.Of(profile, RowSources.Read(WorkDir.SourcesPath(workDir)), labels, OutOfFoldDiagnostics.Blend(members))
            .Write(WorkDir.FinalOofPath(workDir));
        var memberTrials = members.Select(m => m.Member.Trial).ToList();
        var rows = RefitPlan.Rows(profile, memberTrials, allowance, featurizeSecondsPerRow);
        if (rows < profile.Rows)
            notes.Add($"The final model was refit on {rows:N0} of the {profile.Rows:N0} prepared rows: all of them would not fit in the time left.");

        var context = new MLContext(profile.Seed);
        using var registration = Cancellation.Link(context, ct);
        var refitRows = Enumerable.Range(0, rows).ToArray();
        var view = new TableView(profile, table, refitRows);
        var featurizing = Stopwatch.StartNew();
        // One featurizer fitted on the refit rows serves every member.
        var featurizer = FeaturePipeline.Build(context, profile, table, refitRows).Fit(view);
        var features = Featurized(workDir, context, profile, featurizer.Transform(view), rows);
        var featurizeSeconds = featurizing.Elapsed.TotalSeconds;
        var refitting = Stopwatch.StartNew();
        var models = members.ToDictionary(m => m.Member.Trial.TrialId, m =>
        {
            ct.ThrowIfCancellationRequested();
            return Refit(context, profile, view.Schema, featurizer, features, m.Member.Trial, rows);
        });
        var times = new FinishTimes(rows, Math.Round(featurizeSeconds, 2), Math.Round(featurizeSecondsPerRow * rows, 2),
            Math.Round(refitting.Elapsed.TotalSeconds, 2), Math.Round(memberTrials.Sum(t => RefitPlan.Seconds(profile, t, rows)), 2));
        var ensemble = members.Select(m => new EnsembleMember(m.Member.Trial.TrialId, m.Member.Trial.Learner, m.Weight)
        {
            TargetTransform = DataChoices.TargetOf(m.Member.Trial.Params),
        }).ToList();
        var card = new ModelCard
        {
            Schema = profile.Schema, Metric = profile.Metric, CvScore = metrics[profile.Metric], Metrics = metrics,
            Learner = best.Learner, Params = best.Params, Ensemble = members.Count > 1 ? ensemble : [],
            Diagnostics = OutOfFoldDiagnostics.Compute(profile.Task, labels, profile.PredictionWidth(), members),
            Rows = profile.Rows, SourceRows = profile.SourceRows, TrainedRows = rows,
            // The search's counts (it may have kept fewer trials than it ran) and the fallbacks trained here.
            Trials = (counts?.Trials ?? trials.Count) + history.Count - trials.Count,
            TrialsSucceeded = (counts?.Succeeded ?? trials.Count(t => t.Scored)) + history.Skip(trials.Count).Count(t => t.Scored),
            Fallback = fallback,
            FinishTimes = times,
        };
        var background = new TableView(profile, table, MemberBackground.Sample(refitRows));
        var package = new ModelPackage(card, new ModelManifest(profile, ensemble), models)
        {
            Backgrounds = models.ToDictionary(m => m.Key, m => MemberBackground.Compute(context, m.Value, background)),
        };
        using (var model = TrainedModel.From(package))
        {
            // Every card carries importance: a small slice even when the refits used up the time.
            var seconds = Math.Max(MinImportanceShare * profile.BudgetSeconds, Math.Min(ImportanceShare * profile.BudgetSeconds, SecondsLeft()));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
            var (importance, scored) = PermutationImportance.Compute(model, table, options.ImportanceSampleRows, members.Count, deadline);
            if (scored < importance.Count)
                notes.Add($"Feature importance covers {scored} of {importance.Count} columns; the others were not scored in the time left.");
            package = package with { Card = card with { FeatureImportance = importance, Notes = notes } };
        }
        package.Write(modelPath);
        File.Delete(WorkDir.RefitDataPath(workDir));
        return package.Card;
    }

    /// <summary>
    /// The trials Finish may build its model from or compare it with (it reads their out-of-fold predictions), best
    /// first: the best ones, and every proven default.
    /// </summary>
    public static IEnumerable<TrialResult> Candidates(DatasetProfile profile, IEnumerable<TrialResult> trials)
    {
        var ranked = BestFirst(profile, trials).ToList();
        var pool = (int)Math.Clamp(MaxPoolValues / Math.Max(1, profile.EvaluatedRows() * profile.PredictionWidth()), MaxCandidates, MaxPool);
        return ranked.Where((t, rank) => rank < pool || LearnerCatalog.IsDefault(profile, t));
    }

    private static List<TrialResult> Ranked(string workDir, DatasetProfile profile, IReadOnlyList<TrialResult> trials) =>
        [.. BestFirst(profile, trials.Where(t => File.Exists(WorkDir.OofPath(workDir, t.TrialId))))];

    private static IEnumerable<TrialResult> BestFirst(DatasetProfile profile, IEnumerable<TrialResult> trials) =>
        trials.Where(t => t.Scored).OrderByDescending(t => MetricCatalog.Rank(profile.Metric, t.Metrics)).ThenBy(t => t.TrialId);

    /// <summary>
    /// The cheapest configurations in turn, each evaluated on one fold only and without a timeout, until one trains;
    /// the history gains them. Its score comes from that fold.
    /// </summary>
    private static TrialResult TrainCheapest(string workDir, DatasetProfile profile, List<TrialResult> history, CancellationToken ct)
    {
        foreach (var (learner, hp) in LearnerCatalog.Cheapest(profile))
        {
            var config = new TrialConfig(history.Select(t => t.TrialId).DefaultIfEmpty(0).Max() + 1, learner.Name, hp)
            {
                TimeoutSeconds = TimeSpan.FromDays(1).TotalSeconds,
            };
            var result = TrialRunner.Run(workDir, config, ct, foldsAtMost: 1);
            history.Add(result);
            if (result.Scored) return result;
        }
        throw new InvalidDatasetException("No model could be trained on this data: " +
            string.Join("; ", history.Select(t => $"{t.Learner}: {t.Error}").Distinct().TakeLast(3)));
    }

    /// <summary>
    /// The way that generalizes best (<see cref="CrossFittedChoice"/>): the greedy ensemble over the best trials when it
    /// beats the best single model and its refits fit in the time Finish has (fewer candidates are tried when a larger
    /// ensemble would take too long to refit), else the best trial, or the best proven default.
    /// </summary>
    private static (TrialResult Lead, IReadOnlyList<(Candidate Member, double Weight)> Members, IReadOnlyDictionary<string, double> Metrics) ChooseMembers(
        string workDir, DatasetProfile profile, double[] labels, List<TrialResult> ranked, double seconds, double featurizeSecondsPerRow,
        List<string> notes)
    {
        var pool = Candidates(profile, ranked).Select(t => new Candidate(t, WorkDir.ReadValues(WorkDir.OofPath(workDir, t.TrialId)))).ToList();
        var selection = Selection.Ensemble;
        if (pool.Count > 1)
        {
            var (choice, scores) = CrossFittedChoice.Choose(profile, labels, [.. pool], MaxCandidates);
            selection = choice;
            notes.Add($"Cross-fitted {profile.Metric} of each way to build the model (chosen on half the rows, scored on the other half): " +
                      string.Join(", ", scores.Select(s => $"{s.Key} {s.Value:0.####}")) + $"; the model is built as {selection}.");
        }
        if (selection == Selection.BestDefault) ranked = [.. ranked.Where(t => LearnerCatalog.IsDefault(profile, t))];
        // The lead is the best trial whose refit fits (on its own training rows) among those nearly as good as the
        // best: a far worse model is no bargain for a few seconds (the tuner only proposes what Finish can refit).
        // When none fits, the quickest of them, within the tolerated overrun or not.
        double Floor(TrialResult t) => RefitPlan.Seconds(profile, [t], RefitPlan.FloorRows(profile, t), featurizeSecondsPerRow);
        var contenders = ranked.Where(t => NearlyAsGood(profile, t, ranked[0])).ToList();
        var best = contenders.FirstOrDefault(t => Floor(t) <= seconds)
                   ?? contenders.FirstOrDefault(t => Floor(t) <= seconds + ToleratedOverrun * profile.BudgetSeconds)
                   ?? contenders.MinBy(Floor)!;
        var candidates = ranked.Take(MaxCandidates)
            .Where(t => t == best || RefitPlan.Seconds(profile, [t], profile.Rows, featurizeSecondsPerRow) <= seconds / 2)
            .OrderBy(t => t == best ? 0 : 1)
            // The pool holds every trial ranked among the first MaxCandidates, and every default: its predictions are read already.
            .Select(t => pool.First(c => c.Trial == t))
            .ToList();
        for (var count = selection == Selection.Ensemble ? candidates.Count : 0; count >= 2; count /= 2)
        {
            var (members, metrics) = EnsembleSelection.Select(profile, labels, profile.PredictionWidth(), candidates.Take(count).ToList());
            var better = MetricCatalog.Rank(profile.Metric, metrics) > MetricCatalog.Rank(profile.Metric, best.Metrics);
            if (!better) break;
            if (members.Count > 1 && RefitPlan.Seconds(profile, [.. members.Select(m => m.Member.Trial)], profile.Rows, featurizeSecondsPerRow) <= seconds)
                return (best, members, metrics);
        }
        return (best, [(candidates[0], 1.0)], best.Metrics);
    }

    /// <summary>Within 0.5% of the best's score (relative): what a user would not notice, unlike a coin-flip model.</summary>
    private static bool NearlyAsGood(DatasetProfile profile, TrialResult trial, TrialResult best) =>
        MetricCatalog.Gain(profile.Metric, best.Score!.Value) - MetricCatalog.Gain(profile.Metric, trial.Score!.Value)
        <= 0.005 * Math.Max(Math.Abs(best.Score!.Value), 1e-9);

    /// <summary>
    /// Of the seconds Finish has left, what its refits may use; permutation importance plans with the rest: what it is
    /// expected to take, at most its share.
    /// </summary>
    public static double RefitAllowance(DatasetProfile profile, double secondsLeft, double importanceSeconds) =>
        Math.Max(0, secondsLeft - Math.Min(importanceSeconds, Math.Min(ImportanceShare * profile.BudgetSeconds, ImportanceShareOfFinish * secondsLeft)));

    /// <summary>What Finish needs besides its refits: importance's slice and the end margin.</summary>
    public static double OtherFinishSeconds(DatasetProfile profile) => ImportanceShare * profile.BudgetSeconds + EndMarginOf(profile);

    /// <summary>The time Finish leaves at the end of the budget, for writing the model and the caller's own work.</summary>
    public static double EndMarginOf(DatasetProfile profile) => Math.Max(EndMarginSeconds, EndMargin * profile.BudgetSeconds);

    /// <summary>
    /// The refit rows featurized once: cached in memory (read through once, so featurizing is done, and timed, before
    /// any fit), or written to a file the learners stream when large.
    /// </summary>
    private static IDataView Featurized(string workDir, MLContext context, DatasetProfile profile, IDataView all, int rows)
    {
        var featurized = FeaturePipeline.Selected(context, profile, all);
        if (rows * FeatureWidth.BytesPerRow(profile.Features) <= MaxCachedBytes)
        {
            var cached = context.Data.Cache(featurized);
            using var cursor = cached.GetRowCursor(cached.Schema);
            while (cursor.MoveNext()) { }
            return cached;
        }
        WorkDir.WriteAtomically(WorkDir.RefitDataPath(workDir), stream => context.Data.SaveAsBinary(featurized, stream, keepHidden: false));
        return context.Data.LoadFromBinary(WorkDir.RefitDataPath(workDir));
    }

    private static byte[] Refit(MLContext context, DatasetProfile profile, DataViewSchema inputSchema, ITransformer featurizer,
        IDataView features, TrialResult trial, int rows)
    {
        var learner = LearnerCatalog.Get(trial.Learner);
        var roundsFactor = RefitPlan.RoundsFactor(profile, learner, DataChoices.SampleRowsOf(profile, trial.Params), rows);
        var iterations = trial.Iterations is { } n ? (int?)Math.Max(1, (int)Math.Round(n * roundsFactor)) : null;
        var fitted = ModelFitter.FitPredictor(context, profile, learner, trial.Params, features, valid: null, iterations);
        var model = new TransformerChain<ITransformer>(featurizer, fitted.Predictor);
        using var stream = new MemoryStream();
        context.Model.Save(model, inputSchema, stream);
        return stream.ToArray();
    }
}
