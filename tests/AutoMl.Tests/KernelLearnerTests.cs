using System.Globalization;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

/// <summary>The RBF kernel learner (random Fourier features and a linear model), trained for real by the engine.</summary>
public sealed class KernelLearnerTests
{
    private static readonly Dictionary<string, double> Sharp = new() { ["gamma"] = 2, ["rank"] = 512, ["l2Regularization"] = 0.01 };

    [Fact]
    public void The_kernel_learner_separates_concentric_circles_where_the_linear_learner_cannot()
    {
        using var dir = new TempDir();
        var csv = dir.Write("rings.csv", RingsCsv());
        var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
        var profile = engine.Prepare(csv, new TrainingSpec { Label = "inner", Metric = "accuracy", BudgetSeconds = 120 }, dir.File("work"));
        Assert.Equal(MlTask.Binary, profile.Task);

        var kernel = engine.RunTrial(dir.File("work"), new TrialConfig(1, "kernel", Sharp));
        var linear = engine.RunTrial(dir.File("work"), new TrialConfig(2, "lbfgs", new Dictionary<string, double>()));

        Assert.True(kernel.Score > 0.95, $"kernel accuracy {kernel.Score}");
        Assert.True(linear.Score < 0.7, $"linear accuracy {linear.Score}");
    }

    [Fact]
    public void A_kernel_package_predicts_the_same_after_a_round_trip_and_a_second_training()
    {
        using var dir = new TempDir();
        var csv = dir.Write("rings.csv", RingsCsv());
        var first = Train(dir, csv, "inner", "first", Sharp);
        var copy = dir.File("copy.zip");
        ModelPackage.Read(first).Write(copy);
        var again = Train(dir, csv, "inner", "again", Sharp);
        using var model = TrainedModel.Load(first);
        using var copied = TrainedModel.Load(copy);
        using var retrained = TrainedModel.Load(again);
        Assert.Equal("kernel", ModelPackage.Read(first).Manifest.Members.Single().Learner);

        foreach (var record in TestFiles.Records(csv).Take(50))
        {
            var expected = model.Predict(record).Probabilities!;
            Assert.Equal(expected, copied.Predict(record).Probabilities!);
            // The random features come from a fixed seed: a refit on the same rows draws the same ones.
            Assert.Equal(expected, retrained.Predict(record).Probabilities!);
        }
    }

    /// <summary>high when 4·a² + 0.3·b > 1.5: a drives it, not monotonically (no linear weight can say so); c and d are noise.</summary>
    [Fact]
    public void Kernel_contributions_add_up_to_the_raw_score_and_name_the_slot_that_drives_it()
    {
        using var dir = new TempDir();
        var csv = dir.Write("bowl.csv", BowlCsv());
        var path = Train(dir, csv, "high", "bowl", new Dictionary<string, double> { ["gamma"] = 1, ["rank"] = 512, ["l2Regularization"] = 0.01 });
        using var model = TrainedModel.Load(path);
        var records = TestFiles.Records(csv);

        var right = records.Count(r => model.Predict(r).Label == r["high"]);
        Assert.True(right > records.Count * 9 / 10, $"{right} of {records.Count} right");

        var steep = records.Where(r => Math.Abs(double.Parse(r["a"]!, CultureInfo.InvariantCulture)) > 0.7).Take(40).ToList();
        var namedFirst = 0;
        foreach (var record in steep)
        {
            var explained = model.Explain(record, top: 4);
            Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution) + explained.OtherColumns, 1e-4);
            if (explained.Factors[0].Column == "a") namedFirst++;
            // Explaining again gives the same answer (the permutations come from a fixed seed).
            Assert.Equal(explained.Factors.Select(f => f.Contribution), model.Explain(record, top: 4).Factors.Select(f => f.Contribution));
        }
        Assert.True(namedFirst >= steep.Count * 9 / 10, $"a named first for {namedFirst} of {steep.Count} records");
    }

    [Fact]
    public void The_kernel_learner_sits_out_regression_text_and_large_data_and_bounds_its_features_by_memory()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        var numeric = engine.Prepare(TestFiles.Data("heart-semicolon-bom.csv"), new TrainingSpec { BudgetSeconds = 60 }, dir.File("numeric"));
        var text = engine.Prepare(TestFiles.Data("wikipedia-detox.tsv"), new TrainingSpec { Label = "Sentiment", BudgetSeconds = 60 }, dir.File("text"));
        var kernel = LearnerCatalog.Get("kernel");

        Assert.True(kernel.Supports(numeric));
        Assert.False(kernel.Supports(numeric with { Task = MlTask.Regression }));
        Assert.False(kernel.Supports(text));
        Assert.False(kernel.Supports(numeric with { Rows = 1_250_000, SampleSizes = [40_000, 160_000, 1_000_000] }));

        double HighestRank(DatasetProfile profile) => kernel.Space(profile).Single(h => h.Name == "rank").High;
        var rows = numeric.FullSampleRows();
        Assert.Equal(2048, HighestRank(numeric with { MemoryBytes = 8L << 30, ParallelTrials = 1 }));
        // A rank's mapped rows (4 bytes a feature) take at most half a trial's memory.
        var tight = numeric with { MemoryBytes = rows * 4L * 256 * 2, ParallelTrials = 1 };
        Assert.Equal(256, HighestRank(tight));
        Assert.True(kernel.ModelBytes(tight, new Dictionary<string, double> { ["rank"] = 256 }) >= rows * 4.0 * 256);
        Assert.False(kernel.Supports(numeric with { MemoryBytes = rows * 4L * 64 * 2, ParallelTrials = 1 }));
    }

    private static string Train(TempDir dir, string csv, string label, string name, IReadOnlyDictionary<string, double> hp)
    {
        var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
        var work = dir.File($"work-{name}");
        engine.Prepare(csv, new TrainingSpec { Label = label, BudgetSeconds = 120 }, work);
        var trial = engine.RunTrial(work, new TrialConfig(1, "kernel", hp));
        Assert.Equal(TrialStatus.Succeeded, trial.Status);
        var path = dir.File($"{name}.zip");
        engine.Finish(work, [trial], path);
        return path;
    }

    /// <summary>Points in a disc of radius 0.5 (inner) and in a ring from 0.8 to 1 around it, with a noise column.</summary>
    private static string RingsCsv()
    {
        var random = new Random(3);
        var lines = new List<string> { "x,y,noise,inner" };
        for (var i = 0; i < 400; i++)
        {
            var inner = i % 2 == 0;
            var radius = inner ? 0.5 * Math.Sqrt(random.NextDouble()) : 0.8 + 0.2 * random.NextDouble();
            var angle = 2 * Math.PI * random.NextDouble();
            lines.Add(string.Join(',', Number(radius * Math.Cos(angle)), Number(radius * Math.Sin(angle)), Number(random.NextDouble()), inner ? "yes" : "no"));
        }
        return string.Join('\n', lines);
    }

    private static string BowlCsv()
    {
        var random = new Random(9);
        var lines = new List<string> { "a,b,c,d,high" };
        for (var i = 0; i < 500; i++)
        {
            var (a, b, c, d) = (Uniform(random), Uniform(random), Uniform(random), Uniform(random));
            lines.Add(string.Join(',', Number(a), Number(b), Number(c), Number(d), 4 * a * a + 0.3 * b + 0.05 * Uniform(random) > 1.5 ? "yes" : "no"));
        }
        return string.Join('\n', lines);
    }

    private static double Uniform(Random random) => 2 * random.NextDouble() - 1;

    private static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
