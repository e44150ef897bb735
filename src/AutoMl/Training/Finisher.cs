using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>Picks the winner (a single model or a greedy ensemble), refits it on all rows and packages it.</summary>
internal static class Finisher
{
    private const int MaxCandidates = 15;
    /// <summary>Share of the budget the refits may take (the search leaves about this much).</summary>
    private const double RefitShare = 0.12;
    /// <summary>Early stopping saw (k-1)/k of the rows; the refit sees all of them and affords a few more trees.</summary>
    private const double RefitIterationsFactor = 1.1;

    public static ModelCard Finish(string workDir, IReadOnlyList<TrialResult> trials, string modelPath, AutoMlOptions options, CancellationToken ct)
    {
        var profile = WorkDir.ReadProfile(workDir);
        var context = new MLContext(profile.Seed);
        using var registration = Cancellation.Link(context, ct);
        var data = PreparedData.Load(workDir, context);
        var ranked = trials.Where(t => t.Scored && File.Exists(WorkDir.OofPath(workDir, t.TrialId)))
            .OrderByDescending(t => MetricCatalog.Rank(profile.Metric, t.Metrics)).ThenBy(t => t.TrialId).ToList();
        if (ranked.Count == 0)
            throw new InvalidDatasetException("No model could be trained on this data. " +
                string.Join("; ", trials.Select(t => t.Error).OfType<string>().Distinct().Take(3)));
        var best = ranked[0];

        var (members, metrics) = ChooseMembers(workDir, profile, data, ranked);
        var isEnsemble = members.Count > 1;

        // One featurizer fitted on all rows serves every member.
        var featurizer = FeaturePipeline.Build(context, profile).Fit(data.Data);
        var features = context.Data.Cache(featurizer.Transform(data.Data));
        var models = members.ToDictionary(m => m.Member.Trial.TrialId, m =>
        {
            ct.ThrowIfCancellationRequested();
            return Refit(workDir, data, featurizer, features, m.Member.Trial);
        });
        var ensemble = members.Select(m => new EnsembleMember(m.Member.Trial.TrialId, m.Member.Trial.Learner, m.Weight)).ToList();
        var card = new ModelCard
        {
            Schema = profile.Schema, Metric = profile.Metric, CvScore = metrics[profile.Metric], Metrics = metrics,
            Learner = best.Learner, Params = best.Params, Ensemble = isEnsemble ? ensemble : [],
            Diagnostics = OutOfFoldDiagnostics.Compute(profile.Task, data.Labels, data.Width, members),
            Rows = profile.Rows, Trials = trials.Count,
        };
        var package = new ModelPackage(card, new ModelManifest(profile, ensemble), models)
        {
            Backgrounds = models.ToDictionary(m => m.Key, m => MemberBackground.Compute(context, m.Value, data.Data, profile.Rows)),
        };
        using (var model = TrainedModel.From(package))
        {
            var importance = PermutationImportance.Compute(model, data, options.ImportanceSampleRows, members.Count);
            package = package with { Card = card with { FeatureImportance = importance } };
        }
        package.Write(modelPath);
        return package.Card;
    }

    /// <summary>
    /// The greedy ensemble over the best trials when it beats the best single model and its refits fit in the
    /// time Finish has; fewer candidates are tried when a larger ensemble would take too long to refit.
    /// </summary>
    private static (IReadOnlyList<(Candidate Member, double Weight)> Members, IReadOnlyDictionary<string, double> Metrics) ChooseMembers(
        string workDir, DatasetProfile profile, PreparedData data, List<TrialResult> ranked)
    {
        var best = ranked[0];
        var allowance = RefitShare * profile.BudgetSeconds;
        var candidates = ranked.Take(MaxCandidates)
            .Where(t => t == best || RefitSeconds(profile, t) <= allowance / 2)
            .Select(t => new Candidate(t, WorkDir.ReadDoubles(WorkDir.OofPath(workDir, t.TrialId))))
            .ToList();
        for (var count = candidates.Count; count >= 2; count /= 2)
        {
            var (members, metrics) = EnsembleSelection.Select(profile, data.Labels, data.Width, candidates.Take(count).ToList());
            var better = MetricCatalog.Rank(profile.Metric, metrics) > MetricCatalog.Rank(profile.Metric, best.Metrics);
            if (!better) break;
            if (members.Count > 1 && members.Sum(m => RefitSeconds(profile, m.Member.Trial)) <= allowance) return (members, metrics);
        }
        return ([(candidates[0], 1.0)], best.Metrics);
    }

    private static double RefitSeconds(DatasetProfile profile, TrialResult trial) =>
        trial.Seconds / profile.Folds * (profile.Folds == 1 ? 1.25 : profile.Folds / (profile.Folds - 1.0));

    private static byte[] Refit(string workDir, PreparedData data, ITransformer featurizer, IDataView features, TrialResult trial)
    {
        var info = WorkDir.ReadJson<TrialInfo>(WorkDir.TrialInfoPath(workDir, trial.TrialId));
        var iterations = info?.Iterations is { } n ? (int?)Math.Max(1, (int)Math.Round(n * RefitIterationsFactor)) : null;
        var fitted = ModelFitter.FitPredictor(data.Context, data.Profile, LearnerCatalog.Get(trial.Learner), trial.Params,
            features, valid: null, iterations);
        var model = new TransformerChain<ITransformer>(featurizer, fitted.Predictor);
        using var stream = new MemoryStream();
        data.Context.Model.Save(model, data.Data.Schema, stream);
        return stream.ToArray();
    }
}
