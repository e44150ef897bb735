using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

[CollectionDefinition(TrainedModels.Collection)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>;

/// <summary>
/// Real models, trained once per test run by the AutoML engine on small committed samples: two fixed cheap trials
/// each instead of a timed search, so a busy shared machine cannot starve the run into a trial timeout.
/// </summary>
public sealed class TrainedModels : IAsyncLifetime
{
    public const string Collection = "trained models";
    public const string Version = "v-test";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "chain-tests-" + Guid.NewGuid().ToString("N"));

    public ServedModel Telco { get; private set; } = null!;
    public ServedModel Detox { get; private set; } = null!;
    public ServedModel Housing { get; private set; } = null!;
    /// <summary>Where the telco model package is, for tests that load a second copy (a champion swap).</summary>
    public string TelcoPath => Path.Combine(_root, "telco", "model.zip");

    public async Task InitializeAsync()
    {
        var telco = Train("telco", "telco-churn-600.csv", "churn");
        var detox = Train("detox", "wikipedia-detox.tsv", "Sentiment");
        var housing = Train("housing", "housing.tsv", "MedianHomeValue");
        (Telco, Detox, Housing) = (await telco, await detox, await housing);
    }

    public Task DisposeAsync()
    {
        Telco?.Model.Dispose(); // null when training failed: the tests report that failure, not this one
        Detox?.Model.Dispose();
        Housing?.Model.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<ServedModel> Train(string dataset, string file, string label)
    {
        var workDir = Path.Combine(_root, dataset);
        var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
        var profile = engine.Prepare(Path.Combine(AppContext.BaseDirectory, "data", file),
            new TrainingSpec { Label = label, BudgetSeconds = 120, Seed = 7, ParallelTrials = 2 }, workDir);
        var trials = await new InProcessTrialExecutor(engine, workDir).RunAsync(
            [new TrialConfig(1, "lbfgs", new Dictionary<string, double>()), new TrialConfig(2, "lightgbm", new Dictionary<string, double>())]);
        var modelPath = Path.Combine(workDir, "model.zip");
        engine.Finish(workDir, trials, modelPath);
        return new ServedModel(dataset, Version, TrainedModel.Load(modelPath));
    }
}
