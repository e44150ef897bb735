using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Chain;
using Serverless.Workflow.Http;

// A chain host for load tests: trains (or loads) a telco model, serves the chain routes on loopback with an in-memory
// model source and, with --swap-every-ms, keeps swapping in a freshly loaded champion the way a deployment does.
// Usage: serve --csv samples/telco-churn.csv --model /tmp/chain-bench/model.zip [--port 7081] [--budget 30] [--swap-every-ms 500]
var options = Args.Parse(args);
var modelPath = options.GetValueOrDefault("model", Path.Combine(Path.GetTempPath(), "chain-bench", "model.zip"));
if (!File.Exists(modelPath)) await Train(options["csv"], modelPath, int.Parse(options.GetValueOrDefault("budget", "30")));

var source = new SwappableModelSource("telco", modelPath);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetValueOrDefault("port", "7081")}");
builder.Services.AddSingleton<IModelSource>(source).AddChain(builder.Configuration).AddChainEndpoints();
var app = builder.Build();
app.MapChainEndpoints();
await app.StartAsync();
Console.WriteLine($"serving {modelPath} on {string.Join(", ", app.Urls)}");

using var swapping = new CancellationTokenSource();
var swaps = options.TryGetValue("swap-every-ms", out var every)
    ? source.SwapEvery(TimeSpan.FromMilliseconds(int.Parse(every)), swapping.Token)
    : Task.CompletedTask;
await app.WaitForShutdownAsync();
await swapping.CancelAsync();
await swaps;
Console.WriteLine($"champion swaps: {source.Swaps}");

static async Task Train(string csv, string modelPath, int budgetSeconds)
{
    var workDir = Path.Combine(Path.GetDirectoryName(modelPath)!, "work");
    var engine = new AutoMlEngine();
    var profile = engine.Prepare(csv, new TrainingSpec { Label = "churn", BudgetSeconds = budgetSeconds, Seed = 1 }, workDir);
    var trials = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, workDir), () => DateTime.UtcNow);
    var card = engine.Finish(workDir, trials, modelPath);
    Console.WriteLine($"trained {card.Learner} ({card.Ensemble.Count} ensemble members), {card.Metric} {card.CvScore:0.###}");
}

/// <summary>Serves one dataset; a swap loads a new TrainedModel from the package, as a champion pointer change does.</summary>
sealed class SwappableModelSource(string dataset, string modelPath) : IModelSource
{
    private volatile ModelLookup _current = ModelLookup.Of(new ServedModel(dataset, "v0", TrainedModel.Load(modelPath)));
    private readonly ConcurrentQueue<TrainedModel> _retired = new();

    public int Swaps { get; private set; }

    public ValueTask<ModelLookup> GetAsync(string name, CancellationToken ct) =>
        ValueTask.FromResult(name == dataset ? _current : ModelLookup.Unknown);

    public async Task SwapEvery(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var previous = (ModelLookup.Found)_current;
                _current = ModelLookup.Of(new ServedModel(dataset, $"v{++Swaps}", TrainedModel.Load(modelPath)));
                // Requests already holding the old model finish on it; dispose it a few swaps later.
                _retired.Enqueue(previous.Model.Model);
                while (_retired.Count > 4 && _retired.TryDequeue(out var old)) old.Dispose();
            }
        }
        catch (OperationCanceledException) { }
    }
}

static class Args
{
    /// <summary>"--name value" pairs.</summary>
    public static Dictionary<string, string> Parse(string[] args) =>
        Enumerable.Range(0, args.Length / 2).ToDictionary(i => args[2 * i].TrimStart('-'), i => args[2 * i + 1]);
}
