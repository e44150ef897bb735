using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

/// <summary>
/// Contributions on really trained models: base value plus every column's contribution is the raw score ML.NET itself
/// computes (binary: the margin before calibration; regression: the predicted value; multiclass: the class's score before
/// its calibration or softmax), for each learner family, for ensembles and for packages written before backgrounds.
/// </summary>
public sealed class ContributionTests
{
    private const double Tolerance = 1e-4;
    private const int CheckedRows = 25;

    private static readonly Dictionary<string, double> LogTarget = new() { [DataChoices.LogTarget] = 1 };

    /// <summary>Every learner the search may pick for each task (its Supports): a learner added later is covered too.</summary>
    public static TheoryData<string, MlTask> Learners(MlTask task)
    {
        var data = new TheoryData<string, MlTask>();
        foreach (var learner in LearnerCatalog.All.Where(l => l.Supports(NumericProfile.Value with { Task = task }))) data.Add(learner.Name, task);
        return data;
    }

    /// <summary>A small numeric table's profile: every learner's other conditions hold, so the task alone decides.</summary>
    private static readonly Lazy<DatasetProfile> NumericProfile = new(() =>
    {
        using var dir = new TempDir();
        return new AutoMlEngine().Prepare(TestFiles.Data("heart-semicolon-bom.csv"), new TrainingSpec(), dir.Path);
    });

    [Theory]
    [MemberData(nameof(Learners), MlTask.Binary)]
    [MemberData(nameof(Learners), MlTask.Regression)]
    public void Contributions_sum_to_the_raw_score(string learner, MlTask task)
    {
        using var dir = new TempDir();
        var (file, spec) = task == MlTask.Binary
            ? ("heart-semicolon-bom.csv", new TrainingSpec())
            : ("housing.tsv", new TrainingSpec { Label = "MedianHomeValue" });
        var trained = Trained.Train(dir, TestFiles.Data(file), spec, learner);
        using var model = TrainedModel.Load(trained.ModelPath);
        var scores = trained.RawScores();
        var records = TestFiles.Records(TestFiles.Data(file));
        var columns = model.Schema.Columns.Count;

        foreach (var row in Enumerable.Range(0, CheckedRows))
        {
            var explained = model.Explain(records[row], top: columns);
            // The negative class's raw score is the negated margin of the positive class.
            var oriented = task == MlTask.Binary && explained.ScoreOf == model.Schema.Classes![0] ? -scores[row] : scores[row];
            Assert.Equal(oriented, explained.RawScore, Tolerance);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution), Tolerance);
            Assert.Equal(0, explained.OtherColumns, Tolerance);
            Assert.All(explained.Factors, f => Assert.Equal(f.Contribution >= 0 ? Direction.Raises : Direction.Lowers, f.Direction));
        }
    }

    [Theory]
    [MemberData(nameof(Learners), MlTask.Multiclass)]
    public void Multiclass_contributions_sum_to_each_class_score(string learner, MlTask task)
    {
        Assert.Equal(MlTask.Multiclass, task);
        using var dir = new TempDir();
        var trained = Trained.Train(dir, TestFiles.Data("penguins.csv"), new TrainingSpec { Label = "species" }, learner);
        var (explainer, member) = trained.Member();
        var classes = trained.Profile.Schema.Classes!.Count;
        foreach (var (features, probabilities) in trained.Rows(member, "Score").Take(CheckedRows))
        {
            var raw = Enumerable.Range(0, classes).Select(k =>
            {
                var slots = new double[explainer.Slots.Count];
                var (@base, output) = explainer.Attribute(features, k, slots);
                Assert.Equal(output, @base + slots.Sum(), Tolerance);
                return output;
            }).ToArray();
            // The classes' scores become the model's probabilities the way ML.NET makes them.
            var model = PredictorParts.Predictor(member).Model;
            var expected = model is OneVersusAllModelParameters ova ? OneVersusAll(ova, raw) : Softmax(raw);
            Assert.Equal(expected, probabilities.Select(p => (double)p), new ToleranceComparer(Tolerance));
        }
    }

    /// <summary>Issue 11: the old explanation gave a column 0 whenever its value was the training default (the mode).</summary>
    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fastforest")]
    [InlineData("lbfgs")]
    public void A_most_common_value_that_drives_the_prediction_gets_its_contribution(string learner)
    {
        using var dir = new TempDir();
        var csv = dir.Write("plans.csv", PlansCsv());
        var trained = Trained.Train(dir, csv, new TrainingSpec { Label = "renewed" }, learner);
        using var model = TrainedModel.Load(trained.ModelPath);
        Assert.Equal("gold", model.Schema.Columns.Single(c => c.Name == "plan").Default);

        var record = new Dictionary<string, string?> { ["plan"] = "gold", ["usage"] = "50", ["region"] = "north" };
        Assert.Equal("yes", model.Predict(record).Label);
        var explained = model.Explain(record, top: 3);
        Assert.Equal("yes", explained.ScoreOf);
        var plan = explained.Factors[0];
        Assert.Equal(("plan", "gold", Direction.Raises), (plan.Column, plan.Value, plan.Direction));
        Assert.True(plan.Contribution > 0.1, $"contribution {plan.Contribution}");

        // The rarest plan drives the other way, and is named too.
        var bronze = model.Explain(new Dictionary<string, string?>(record) { ["plan"] = "bronze" }, top: 1);
        Assert.Equal(("no", "plan", Direction.Raises), (bronze.ScoreOf, bronze.Factors[0].Column, bronze.Factors[0].Direction));
    }

    /// <summary>
    /// A log-target member predicts log(1 + value); like a log link, mapping it back is a separate last step that rescales
    /// its contributions, so they add up to the value it predicts.
    /// </summary>
    [Theory]
    [MemberData(nameof(Learners), MlTask.Regression)]
    public void A_log_target_members_contributions_add_up_to_the_value_it_predicts(string learner, MlTask task)
    {
        Assert.Equal(MlTask.Regression, task);
        using var dir = new TempDir();
        var file = TestFiles.Data("housing.tsv");
        var trained = Trained.Train(dir, file, new TrainingSpec { Label = "MedianHomeValue" }, learner, hp: LogTarget);
        Assert.True(trained.Profile.SkewedTarget);
        Assert.Equal(TargetTransform.Log1p, ModelPackage.Read(trained.ModelPath).Manifest.Members.Single().TargetTransform);
        using var model = TrainedModel.Load(trained.ModelPath);
        var logScores = trained.RawScores();

        foreach (var (record, row) in TestFiles.Records(file).Select((r, i) => (r, i)).Take(CheckedRows))
        {
            var explained = model.Explain(record, top: model.Schema.Columns.Count);
            // ML.NET scores the log; the raw score is the value it maps back to, which is the prediction.
            Assert.Equal(double.ExpM1(logScores[row]), explained.RawScore, Tolerance);
            Assert.Equal(model.Predict(record).Score!.Value, explained.RawScore, Tolerance);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution), Tolerance);
            Assert.Equal(0, explained.OtherColumns, Tolerance);
        }
    }

    [Fact]
    public void A_regression_ensemble_adds_up_to_its_prediction_with_log_link_and_log_target_members()
    {
        using var dir = new TempDir();
        var spec = new TrainingSpec { Label = "MedianHomeValue" };
        var file = TestFiles.Data("housing.tsv");
        var trees = Trained.Train(dir, file, spec, "lightgbm", trialId: 1);
        var poisson = Trained.Train(dir, file, spec, "lbfgs", trialId: 2);
        var logTrees = Trained.Train(dir, file, spec, "fasttree", trialId: 3, hp: LogTarget);
        using var ensemble = TrainedModel.From(Trained.Ensemble((trees, 0.5), (poisson, 0.3), (logTrees, 0.2)));

        foreach (var record in TestFiles.Records(file).Take(CheckedRows))
        {
            var explained = ensemble.Explain(record, top: 3);
            Assert.Equal(ensemble.Predict(record).Score!.Value, explained.RawScore, Tolerance);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution) + explained.OtherColumns, Tolerance);
        }
    }

    /// <summary>LightGBM's native categorical splits send a record by any of a category's one-hot slots.</summary>
    [Fact]
    public void Native_categorical_splits_add_up_and_give_their_move_to_the_category()
    {
        using var dir = new TempDir();
        var csv = dir.Write("plans.csv", PlansCsv());
        var hp = new Dictionary<string, double>
        {
            [LightGbmLearner.CategoricalSplit] = 1, [LightGbmLearner.Iterations] = 50, ["numberOfLeaves"] = 8, ["minimumExampleCountPerLeaf"] = 10,
        };
        var trained = Trained.Train(dir, csv, new TrainingSpec { Label = "renewed" }, "lightgbm", hp: hp);
        var (_, member) = trained.Member();
        var trees = (TreeEnsembleModelParametersBasedOnRegressionTree)PredictorParts.Uncalibrated(PredictorParts.Predictor(member).Model);
        Assert.Contains(trees.TrainedTreeEnsemble.Trees, tree => tree.CategoricalSplitFlags.Any(categorical => categorical));

        using var model = TrainedModel.Load(trained.ModelPath);
        var scores = trained.RawScores();
        foreach (var (record, row) in TestFiles.Records(csv).Select((r, i) => (r, i)).Take(CheckedRows))
        {
            var explained = model.Explain(record, top: model.Schema.Columns.Count);
            Assert.Equal(explained.ScoreOf == model.Schema.Classes![0] ? -scores[row] : scores[row], explained.RawScore, Tolerance);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution), Tolerance);
        }
        var gold = model.Explain(new Dictionary<string, string?> { ["plan"] = "gold", ["usage"] = "50", ["region"] = "north" }, top: 1);
        Assert.Equal(("plan", Direction.Raises), (gold.Factors[0].Column, gold.Factors[0].Direction));
    }

    /// <summary>
    /// Binary members average probabilities, so the combined raw score is not the margin of the ensemble's probability:
    /// it is the members' margins weighted as the members are, and so are the base value and the contributions.
    /// </summary>
    [Fact]
    public void A_binary_ensemble_combines_its_members_margins_by_weight()
    {
        using var dir = new TempDir();
        var file = TestFiles.Data("heart-semicolon-bom.csv");
        var trees = Trained.Train(dir, file, new TrainingSpec(), "fasttree", trialId: 1);
        var linear = Trained.Train(dir, file, new TrainingSpec(), "sdca", trialId: 2);
        using var ensemble = TrainedModel.From(Trained.Ensemble((trees, 0.6), (linear, 0.4)));
        using var first = TrainedModel.Load(trees.ModelPath);
        using var second = TrainedModel.Load(linear.ModelPath);
        var positive = ensemble.Schema.Classes![1];
        double Margin(Contributions c) => c.ScoreOf == positive ? c.RawScore : -c.RawScore;

        foreach (var record in TestFiles.Records(file).Take(CheckedRows))
        {
            var explained = ensemble.Explain(record, top: ensemble.Schema.Columns.Count);
            Assert.Equal(ensemble.Predict(record).Label, explained.ScoreOf);
            Assert.Equal(0.6 * Margin(first.Explain(record)) + 0.4 * Margin(second.Explain(record)), Margin(explained), Tolerance);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution), Tolerance);
        }
    }

    [Fact]
    public void A_package_without_backgrounds_still_adds_up_to_the_same_raw_score()
    {
        using var dir = new TempDir();
        var file = TestFiles.Data("heart-semicolon-bom.csv");
        var trained = Trained.Train(dir, file, new TrainingSpec(), "lightgbm");
        var package = ModelPackage.Read(trained.ModelPath);
        using var model = TrainedModel.From(package);
        using var older = TrainedModel.From(package with { Backgrounds = new Dictionary<int, MemberBackground>() });

        foreach (var record in TestFiles.Records(file).Take(CheckedRows))
        {
            var (now, before) = (model.Explain(record), older.Explain(record));
            Assert.Equal(now.RawScore, before.RawScore, Tolerance);
            Assert.Equal(before.RawScore, before.BaseValue + before.Factors.Sum(f => f.Contribution) + before.OtherColumns, Tolerance);
        }
        // Measured from the training rows, the base value is their average margin (oriented like the raw score).
        var explained = model.Explain(TestFiles.Records(file)[0]);
        var sign = explained.ScoreOf == model.Schema.Classes![1] ? 1 : -1;
        Assert.Equal(trained.RawScores().Average(), sign * explained.BaseValue, Tolerance);
    }

    [Theory]
    [InlineData("lbfgs")]
    [InlineData("lightgbm")]
    public void Text_columns_name_the_words_of_the_text_that_pushed_the_answer(string learner)
    {
        using var dir = new TempDir();
        var file = TestFiles.Data("wikipedia-detox.tsv");
        var trained = Trained.Train(dir, file, new TrainingSpec { Label = "Sentiment" }, learner);
        using var model = TrainedModel.Load(trained.ModelPath);
        var text = model.Schema.Columns.Single(c => c.Kind == ColumnKind.Text).Name;
        var records = TestFiles.Records(file);
        var scores = trained.RawScores();

        var named = 0;
        foreach (var (record, row) in records.Select((r, i) => (r, i)).Take(CheckedRows))
        {
            var explained = model.Explain(record, top: model.Schema.Columns.Count);
            var oriented = explained.ScoreOf == model.Schema.Classes![0] ? -scores[row] : scores[row];
            Assert.Equal(oriented, explained.RawScore, Tolerance);
            var words = explained.Factors.SingleOrDefault(f => f.Column == text)?.Words ?? [];
            var lowered = record[text]!.ToLowerInvariant();
            Assert.All(words, w => Assert.All(w.Text.Split(' '), word => Assert.Contains(word, lowered)));
            Assert.Equal(words.OrderByDescending(w => Math.Abs(w.Contribution)).Select(w => w.Text), words.Select(w => w.Text));
            if (words.Count > 0) named++;
        }
        Assert.True(named > 0, $"words named for {named} of {CheckedRows} texts");
    }

    [Fact]
    public void Every_kind_of_column_gets_its_features_back()
    {
        using var dir = new TempDir();
        var csv = dir.Write("mixed.csv", MixedCsv());
        var trained = Trained.Train(dir, csv, new TrainingSpec { Label = "label" }, "lightgbm");
        var (explainer, _) = trained.Member();
        var schema = trained.Profile.Schema.Columns;
        Assert.Contains(schema, c => c.Kind == ColumnKind.DateTime);
        Assert.Contains(trained.Profile.Features, f => f is { Kind: FeatureKind.Category, Distinct: > FeatureWidth.OneHotMaxDistinct });
        Assert.Contains(trained.Profile.Features, f => f is { Kind: FeatureKind.Number, HasMissing: true });
        Assert.Equal(Enumerable.Range(0, schema.Count), explainer.Slots.Columns.Distinct().Order());

        using var model = TrainedModel.Load(trained.ModelPath);
        var scores = trained.RawScores();
        foreach (var (record, row) in TestFiles.Records(csv).Select((r, i) => (r, i)).Take(CheckedRows))
        {
            var explained = model.Explain(record, top: schema.Count);
            Assert.Equal(explained.ScoreOf == model.Schema.Classes![0] ? -scores[row] : scores[row], explained.RawScore, Tolerance);
        }
    }

    /// <summary>Customers' plans: the most common plan (gold) mostly renews, the others mostly do not.</summary>
    private static string PlansCsv()
    {
        var random = new Random(11);
        var lines = new List<string> { "plan,usage,region,renewed" };
        for (var i = 0; i < 400; i++)
        {
            var draw = random.NextDouble();
            var plan = draw < 0.6 ? "gold" : draw < 0.85 ? "silver" : "bronze";
            var renews = random.NextDouble() < (plan == "gold" ? 0.9 : 0.1);
            lines.Add(string.Join(',', plan, random.Next(0, 100), random.Next(2) == 0 ? "north" : "south", renews ? "yes" : "no"));
        }
        return string.Join('\n', lines);
    }

    /// <summary>A date, a code with too many values to one-hot, a number with gaps, a short text and a flag.</summary>
    private static string MixedCsv()
    {
        var random = new Random(5);
        var words = new[] { "good", "bad", "fine", "awful", "great", "meh", "ok", "terrible" };
        var lines = new List<string> { "code,amount,opened,note,flag,label" };
        for (var i = 0; i < 400; i++)
        {
            var code = random.Next(0, 150);
            var amount = random.NextDouble() * 100;
            var note = string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)]));
            var label = (code % 2 == 0) ^ (amount > 70) ? 1 : 0;
            lines.Add(string.Join(',', $"c{code}", i % 7 == 0 ? "" : amount.ToString("0.00", CultureInfo.InvariantCulture),
                $"2024-{random.Next(1, 13):00}-{random.Next(1, 29):00}", note, random.Next(2) == 0 ? "true" : "false", label));
        }
        return string.Join('\n', lines);
    }

    private static double[] Softmax(double[] scores)
    {
        var max = scores.Max();
        var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }

    /// <summary>One-versus-all: each class's calibrated probability, normalized to sum to one.</summary>
    private static double[] OneVersusAll(OneVersusAllModelParameters model, double[] scores)
    {
        var calibrators = PredictorParts.ClassModels(model).Select(Calibrator).ToList();
        var probabilities = scores.Select((s, k) => 1 / (1 + Math.Exp(calibrators[k].Slope * s + calibrators[k].Offset))).ToArray();
        return probabilities.Select(p => p / probabilities.Sum()).ToArray();
    }

    private static PlattCalibrator Calibrator(object calibrated)
    {
        var type = calibrated.GetType();
        while (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(CalibratedModelParametersBase<,>)) type = type.BaseType!;
        return (PlattCalibrator)type.GetProperty("Calibrator", BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)!.GetValue(calibrated)!;
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }

    /// <summary>A model trained by the engine from one trial of one learner (its default hyperparameters unless given).</summary>
    private sealed record Trained(string File, string ModelPath, DatasetProfile Profile, int TrialId)
    {
        public static Trained Train(TempDir dir, string file, TrainingSpec spec, string learner, int trialId = 1,
            IReadOnlyDictionary<string, double>? hp = null)
        {
            var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
            var work = dir.File("work");
            var profile = Directory.Exists(work) ? Data.WorkDir.ReadProfile(work) : engine.Prepare(file, spec with { BudgetSeconds = 120 }, work);
            var trial = engine.RunTrial(work, new TrialConfig(trialId, learner, hp ?? new Dictionary<string, double>()));
            Assert.Equal(TrialStatus.Succeeded, trial.Status);
            var modelPath = dir.File($"{learner}-{trialId}.zip");
            engine.Finish(work, [trial], modelPath);
            return new Trained(file, modelPath, profile, trialId);
        }

        /// <summary>Members trained on the same prepared data, packaged as one ensemble with the given weights.</summary>
        public static ModelPackage Ensemble(params (Trained Model, double Weight)[] members)
        {
            var packages = members.Select(m => (Package: ModelPackage.Read(m.Model.ModelPath), m.Weight, m.Model.TrialId)).ToList();
            var first = packages[0].Package;
            var ensemble = packages.Select(p => p.Package.Manifest.Members.Single() with { Weight = p.Weight }).ToList();
            return new ModelPackage(first.Card with { Ensemble = ensemble }, first.Manifest with { Members = ensemble },
                packages.ToDictionary(p => p.TrialId, p => p.Package.Models[p.TrialId]))
            {
                Backgrounds = packages.ToDictionary(p => p.TrialId, p => p.Package.Backgrounds[p.TrialId]),
            };
        }

        /// <summary>The package's only member, as ML.NET loads it, and its contribution explainer.</summary>
        public (MemberExplainer Explainer, ITransformer Model) Member()
        {
            var package = ModelPackage.Read(ModelPath);
            using var stream = new MemoryStream(package.Models[TrialId]);
            var model = new MLContext(1).Model.Load(stream, out var inputSchema);
            var target = package.Manifest.Members.Single().TargetTransform;
            return (new MemberExplainer(model, inputSchema, Profile, target, package.Backgrounds[TrialId]), model);
        }

        /// <summary>ML.NET's raw score of every record of the file, in file order: the binary margin or the regression value.</summary>
        public double[] RawScores() => Rows(Member().Model, "Score").Select(r => (double)r.Output[0]).ToArray();

        /// <summary>Each record's feature vector (densified) and a column of its scoring, in file order.</summary>
        public IEnumerable<(float[] Features, float[] Output)> Rows(ITransformer model, string output)
        {
            using var trained = TrainedModel.Load(ModelPath);
            var records = TestFiles.Records(File).Select(r => trained.Encode(name => r.GetValueOrDefault(name))).ToList();
            var table = PreparedTable.FromRecords(Profile.Features, records);
            var scored = model.Transform(new TableView(Profile, table, Enumerable.Range(0, table.Rows).ToArray()));
            var features = scored.Schema[PredictorParts.Head(model).FeatureColumn];
            var column = scored.Schema[output];
            using var cursor = scored.GetRowCursor([features, column]);
            var featureGetter = cursor.GetGetter<VBuffer<float>>(features);
            var vector = default(VBuffer<float>);
            Func<float[]> read = column.Type is VectorDataViewType
                ? () => { var v = default(VBuffer<float>); cursor.GetGetter<VBuffer<float>>(column)(ref v); return v.DenseValues().ToArray(); }
                : () => { var s = 0f; cursor.GetGetter<float>(column)(ref s); return [s]; };
            while (cursor.MoveNext())
            {
                featureGetter(ref vector);
                yield return (vector.DenseValues().ToArray(), read());
            }
        }
    }
}
