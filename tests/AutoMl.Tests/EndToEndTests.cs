namespace Serverless.AutoMl.Tests;

public sealed class EndToEndTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static async Task<(ModelCard Card, string ModelPath, IReadOnlyList<TrialResult> Trials)> Train(
        TempDir dir, string trainPath, TrainingSpec spec)
    {
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(trainPath, spec, work);
        var trials = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, work), () => DateTime.UtcNow);
        var modelPath = dir.File("model.zip");
        return (engine.Finish(work, trials, modelPath), modelPath, trials);
    }

    [Fact]
    public async Task Penguins_multiclass_trains_serves_and_explains()
    {
        using var dir = new TempDir();
        var (train, test) = dir.Split(TestFiles.Data("penguins.csv"), hasHeader: true);
        var (card, modelPath, trials) = await Train(dir, train, new TrainingSpec { Label = "species", BudgetSeconds = 10, ParallelTrials = 2 });

        Assert.Equal("microAccuracy", card.Metric);
        Assert.True(card.CvScore > 0.9, $"cv accuracy {card.CvScore}");
        Assert.Contains(trials, t => t.Status == TrialStatus.Succeeded);
        Assert.Equal(trials.Count, card.Trials);
        Assert.Equal(7, card.FeatureImportance.Count);
        // Finish's plan against its taken times is data on the card, not a note for users.
        var times = Assert.IsType<FinishTimes>(card.FinishTimes);
        Assert.Equal(card.TrainedRows, times.Rows);
        Assert.True(times.RefitSeconds > 0 && times.PlannedRefitSeconds > 0, $"refit {times.RefitSeconds} s, planned {times.PlannedRefitSeconds} s");
        Assert.DoesNotContain(card.Notes, n => n.Contains("planned", StringComparison.Ordinal));

        using var model = TrainedModel.Load(modelPath);
        Assert.Equal(card.CvScore, model.Card.CvScore);
        var heldOut = ModelEvaluation.Evaluate(model, test);
        Assert.True(heldOut["microAccuracy"] > 0.9, $"held-out accuracy {heldOut["microAccuracy"]}");

        var gentoo = new Dictionary<string, string?>
        {
            ["island"] = "Biscoe", ["bill_length_mm"] = "47.5", ["bill_depth_mm"] = "14.2", ["flipper_length_mm"] = "215",
            ["body_mass_g"] = "5300", ["sex"] = "male", ["year"] = "2008", ["unknown"] = "ignored",
        };
        var prediction = model.Predict(gentoo);
        Assert.Equal("Gentoo", prediction.Label);
        Assert.Equal(1, prediction.Probabilities!.Values.Sum(), tolerance: 1e-6);
        Assert.All(prediction.Probabilities.Values, p => Assert.Equal(SinglePrecision.Format((float)p), p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        var explained = model.Explain(gentoo, top: 3);
        Assert.Equal("Gentoo", explained.ScoreOf);
        Assert.Equal(3, explained.Factors.Count);
        Assert.Equal(explained.Factors.OrderByDescending(f => Math.Abs(f.Contribution)).Select(f => f.Column), explained.Factors.Select(f => f.Column));
        Assert.All(explained.Factors, f => Assert.Contains(f.Column, model.Schema.Columns.Select(c => c.Name)));
        Assert.Equal(explained.RawScore, explained.BaseValue + explained.Factors.Sum(f => f.Contribution) + explained.OtherColumns, tolerance: 1e-4);
        // Every column's contribution is there: the named ones and the rest add up to the raw score.
        var all = model.Explain(gentoo, top: model.Schema.Columns.Count);
        Assert.Equal(0, all.OtherColumns, tolerance: 1e-6);
        Assert.Equal(all.RawScore, all.BaseValue + all.Factors.Sum(f => f.Contribution), tolerance: 1e-4);

        // Missing columns fall back to training defaults; an unparsable number names its field.
        Assert.NotNull(model.Predict(new Dictionary<string, string?> { ["island"] = "Dream" }).Label);
        var error = Assert.Throws<InvalidRecordException>(() => model.Predict(new Dictionary<string, string?> { ["body_mass_g"] = "heavy" }));
        Assert.Equal(["body_mass_g"], error.Fields);
    }

    [Fact]
    public async Task Headerless_binary_model_round_trips_and_predicts_concurrently()
    {
        using var dir = new TempDir();
        var (train, test) = dir.Split(TestFiles.Data("heart-semicolon-bom.csv"), hasHeader: false);
        var (card, modelPath, _) = await Train(dir, train, new TrainingSpec { BudgetSeconds = 10, ParallelTrials = 2, Seed = 5 });
        Assert.Equal("auc", card.Metric);
        Assert.True(card.CvScore > 0.8, $"cv auc {card.CvScore}");
        Assert.Equal(card.Metrics["auc"], card.CvScore);

        using var model = TrainedModel.Load(modelPath);
        Assert.True(ModelEvaluation.Evaluate(model, test)["auc"] > 0.8);

        var records = File.ReadAllLines(test).Select(line => line.TrimStart('\uFEFF').Split(';'))
            .Select(v => v.Select((value, i) => (name: $"Column{i + 1}", value)).ToDictionary(x => x.name, x => (string?)x.value))
            .ToList();
        var sequential = records.Select(r => model.Predict(r).Probabilities!["1"]).ToList();
        var concurrent = new double[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => concurrent[i] = model.Predict(records[i]).Probabilities!["1"]);
        Assert.Equal(sequential, concurrent);

        File.Copy(modelPath, dir.File("copy.zip"));
        using var reloaded = TrainedModel.Load(dir.File("copy.zip"));
        Assert.Equal(sequential, records.Select(r => reloaded.Predict(r).Probabilities!["1"]));
        Assert.Equal(card.Learner, reloaded.Card.Learner);
        Assert.Equal(card.Ensemble.Count, reloaded.Card.Ensemble.Count);
    }

    [Fact]
    public void Trial_failures_and_timeouts_are_returned_not_thrown()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        engine.Prepare(TestFiles.Data("housing.tsv"), new TrainingSpec { Label = "MedianHomeValue" }, dir.Path);
        var parameters = new Dictionary<string, double>();

        var unknown = engine.RunTrial(dir.Path, new TrialConfig(1, "no-such-learner", parameters));
        Assert.Equal(TrialStatus.Failed, unknown.Status);
        Assert.Contains("no-such-learner", unknown.Error);

        var first = engine.RunTrial(dir.Path, new TrialConfig(2, "lightgbm", parameters));
        var again = engine.RunTrial(dir.Path, new TrialConfig(2, "lightgbm", parameters));
        Assert.Equal(TrialStatus.Succeeded, first.Status);
        Assert.Equal(first.Score, again.Score);
        Assert.InRange(first.Metrics["r2"], 0.5, 1);

        var profilePath = Path.Combine(dir.Path, "profile.json");
        var profile = System.Text.Json.JsonSerializer.Deserialize<DatasetProfile>(File.ReadAllText(profilePath), Json)!;
        File.WriteAllText(profilePath, System.Text.Json.JsonSerializer.Serialize(profile with { TrialTimeoutSeconds = 0.05 }, Json));
        var slow = engine.RunTrial(dir.Path, new TrialConfig(4, "fastforest", parameters));
        Assert.Equal(TrialStatus.TimedOut, slow.Status);
        Assert.Contains("timeout", slow.Error);

        // A configuration whose model would outgrow its share of memory is skipped before it trains; a small one runs.
        File.WriteAllText(profilePath, System.Text.Json.JsonSerializer.Serialize(profile with { MemoryBytes = 64_000_000, ParallelTrials = 2 }, Json));
        var huge = engine.RunTrial(dir.Path, new TrialConfig(5, "lightgbm",
            new Dictionary<string, double> { ["numberOfLeaves"] = 32768, ["learningRate"] = 0.01 }));
        Assert.Equal(TrialStatus.Skipped, huge.Status);
        Assert.Contains("exceeds this trial's share of memory (32 MB)", huge.Error);
        var small = engine.RunTrial(dir.Path, new TrialConfig(6, "lightgbm",
            new Dictionary<string, double> { ["numberOfLeaves"] = 8, ["learningRate"] = 0.1 }));
        Assert.Equal(TrialStatus.Succeeded, small.Status);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stopped = engine.RunTrial(dir.Path, new TrialConfig(3, "fasttree", parameters), cancelled.Token);
        Assert.Equal(TrialStatus.Failed, stopped.Status);
        Assert.Null(stopped.Score);
    }

    [Fact]
    public void A_run_whose_trials_all_timed_out_still_deploys_the_cheapest_model()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        var data = TestFiles.Data("heart-semicolon-bom.csv");
        engine.Prepare(data, new TrainingSpec { BudgetSeconds = 10 }, work);
        var timedOut = new TrialResult
        {
            TrialId = 1, Learner = "lightgbm", Params = new Dictionary<string, double>(), Status = TrialStatus.TimedOut,
            Error = "exceeded the trial timeout of 5 s", Seconds = 5,
        };

        var card = engine.Finish(work, [timedOut], dir.File("model.zip"));

        Assert.True(card.Fallback);
        Assert.Equal(2, card.Trials);
        Assert.Equal(1, card.TrialsSucceeded);
        Assert.Contains(card.Notes, n => n.Contains("cheapest"));
        using var model = TrainedModel.Load(dir.File("model.zip"));
        Assert.InRange(ModelEvaluation.Evaluate(model, data)["auc"], 0.75, 1);
    }

    [Fact]
    public void A_skewed_positive_target_can_be_learned_on_a_log_scale_and_is_predicted_on_its_own()
    {
        using var dir = new TempDir();
        var random = new Random(7);
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            double size = random.Next(40, 300), rooms = random.Next(1, 7);
            var price = Math.Exp(10 + size / 120 + rooms / 8 + random.NextDouble() * 0.3);
            return FormattableString.Invariant($"{size},{rooms},{price:F0}");
        });
        var (train, test) = dir.Split(dir.Write("homes.csv", "size,rooms,price\n" + string.Join("\n", rows) + "\n"), hasHeader: true);
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(train, new TrainingSpec { Label = "price", BudgetSeconds = 30 }, work);
        Assert.True(profile.SkewedTarget);

        var hp = new Dictionary<string, double> { ["numberOfIterations"] = 200, ["numberOfLeaves"] = 8, ["learningRate"] = 0.1, ["logTarget"] = 1 };
        var trial = engine.RunTrial(work, new TrialConfig(1, "lightgbm", hp) { TimeoutSeconds = 300 });
        Assert.Equal(TrialStatus.Succeeded, trial.Status);
        Assert.NotNull(trial.Iterations);

        engine.Finish(work, [trial], dir.File("model.zip"));
        using var model = TrainedModel.Load(dir.File("model.zip"));
        var heldOut = ModelEvaluation.Evaluate(model, test);
        // Scored on the price scale: a model left on the log scale would be off by the prices themselves.
        Assert.InRange(heldOut["rmse"], 0, 2 * trial.Score!.Value);
        Assert.True(heldOut["r2"] > 0.5, $"r2 {heldOut["r2"]}");

        // Reported as the models compute it, in single precision: the log scale's exp in double adds digits no model made.
        var price = model.Predict(new Dictionary<string, string?> { ["size"] = "120", ["rooms"] = "3" }).Score!.Value;
        Assert.Equal(SinglePrecision.Format((float)price), price.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_multiclass_trial_reports_the_rounds_it_ran_though_a_class_fitted_early_grew_fewer_trees()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        engine.Prepare(TestFiles.Data("penguins.csv"), new TrainingSpec { Label = "species", BudgetSeconds = 10 }, work);
        // A few hundred rows do not stop early: the trial runs all its rounds, though a class that one split separates
        // stops growing trees long before, and the refit must run as many rounds as the trial was scored with.
        var trial = engine.RunTrial(work, new TrialConfig(1, "lightgbm",
            new Dictionary<string, double> { ["numberOfIterations"] = 300, ["numberOfLeaves"] = 8, ["learningRate"] = 0.3 }) { TimeoutSeconds = 300 });

        Assert.Equal(TrialStatus.Succeeded, trial.Status);
        Assert.Equal(300, trial.Iterations);
    }

    [Fact]
    public void Finish_keeps_the_best_model_even_when_its_refit_looks_too_slow_for_the_time_left()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        engine.Prepare(TestFiles.Data("penguins.csv"), new TrainingSpec { Label = "species", BudgetSeconds = 10 }, work);
        // The test is about Finish: the trials get all the time they need (the 10 s budget's trial timeout is 2.5 s,
        // which a loaded machine can exceed).
        var strong = engine.RunTrial(work, new TrialConfig(1, "lightgbm",
            new Dictionary<string, double> { ["numberOfIterations"] = 100, ["numberOfLeaves"] = 8, ["learningRate"] = 0.1 }) { TimeoutSeconds = 300 });
        var weak = engine.RunTrial(work, new TrialConfig(2, "sdca", new Dictionary<string, double> { ["maximumNumberOfIterations"] = 1 }) { TimeoutSeconds = 300 });
        Assert.True(strong.Score > weak.Score + 0.01, $"lightgbm {strong.Score} ({strong.Status} {strong.Error}) vs sdca {weak.Score} ({weak.Status} {weak.Error})");

        // As if the strong trial's fit had taken an hour: its refit cannot fit, the weak one's could.
        var card = engine.Finish(work, [strong with { FitSeconds = 3600, Seconds = 3600 }, weak], dir.File("model.zip"));

        Assert.Equal("lightgbm", card.Learner);
        Assert.Equal(strong.Score, card.CvScore);
    }
}
