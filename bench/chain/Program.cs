using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.AutoMl;
using Serverless.Chain;
using Serverless.Chain.Http;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Storage;

// Load-test helper for the chain (see run.sh):
//   train  --model M --csv C [--budget 30]   trains the telco churn model M from C with the AutoML search
//   serve  --model M [--port 7081] [--swap-every-ms N]
//          serves the chain routes on loopback with an in-memory model source and, with
//          --swap-every-ms, keeps swapping in a freshly loaded champion the way the registry cache does.
//   extract --model M [--iterations 2000]
//          in-process timings of the chain on the model: the question path (offline reading), the record path, and
//          the CPU a 1 MB question costs to read (capped at Chain:MaxQuestionChars, and uncapped).
//   deploy --model M --storage CONNECTION --dataset D [--count 1] [--every-ms 1000]
//          deploys M as new champion versions through the real ModelRegistry (each on "newer data", so the
//          champion gate promotes it): a running host's champion cache then swaps it in.
var command = args.FirstOrDefault();
var options = Args.Parse(args.Skip(1).ToArray());
var modelPath = options["model"];
switch (command)
{
    case "train": await Train(options["csv"], modelPath, int.Parse(options.GetValueOrDefault("budget", "30"))); break;
    case "serve": await Serve(options, modelPath); break;
    case "deploy": await Deploy(options, modelPath); break;
    case "extract": await Extract(modelPath, int.Parse(options.GetValueOrDefault("iterations", "2000"))); break;
    default: Console.Error.WriteLine("usage: train|serve|deploy --model path ... (see Program.cs)"); return 2;
}
return 0;

static async Task Serve(Dictionary<string, string> options, string modelPath)
{
    var source = new SwappableModelSource("telco", modelPath);
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetValueOrDefault("port", "7081")}");
    builder.Services.AddSingleton<IModelSource>(source).AddChain(builder.Configuration).AddChainEndpoints();
    var app = builder.Build();
    app.MapGroup("/api").MapChainEndpoints();
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
}

static async Task Deploy(Dictionary<string, string> options, string modelPath)
{
    var containers = new Containers(new BlobServiceClient(options["storage"]));
    await containers.EnsureCreatedAsync();
    var registry = new ModelRegistry(containers, TimeProvider.System);
    var dataset = options["dataset"];
    using var model = TrainedModel.Load(modelPath);
    var count = int.Parse(options.GetValueOrDefault("count", "1"));
    var pause = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("every-ms", "1000")));
    for (var i = 1; i <= count; i++)
    {
        var version = $"bench-{DateTime.UtcNow:HHmmss-fff}";
        var card = model.Card with { Dataset = dataset, Version = version, DataHash = version };
        // Every version is "newer data" with nothing to compare on, so each one swaps the champion.
        var outcome = await registry.DeployAsync(dataset, version, modelPath, card, DateTimeOffset.UtcNow, (_, _) => Task.FromResult<RowComparison?>(null));
        Console.WriteLine($"{version}: {(outcome.Promoted ? "promoted" : "kept the champion")} ({outcome.Reason})");
        if (i < count) await Task.Delay(pause);
    }
}

static async Task Extract(string modelPath, int iterations)
{
    using var model = TrainedModel.Load(modelPath);
    var served = new ServedModel("telco", "bench", model);
    var chain = new ServiceCollection().AddChain(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
        .BuildServiceProvider().GetRequiredService<ChainRunner>();
    var question = ChainRequest.ForText("would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?");
    var record = ChainRequest.ForRecord(new Dictionary<string, string?>
    {
        ["tenure"] = "3", ["contract"] = "Month-to-month", ["monthly_charges"] = "80", ["internet_service"] = "Fiber optic",
    });
    foreach (var (name, request) in new[] { ("question", question), ("record", record) })
    {
        var times = new double[iterations];
        for (var i = -iterations / 4; i < iterations; i++) // the first quarter warms up
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await chain.RunAsync(served, request, null, CancellationToken.None);
            if (i >= 0) times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"{name} path: p50 {times[iterations / 2]:0.000} ms, p90 {times[iterations * 9 / 10]:0.000} ms, p99 {times[iterations * 99 / 100]:0.000} ms");
    }
    var words = "tenure 24 months, two year contract, fiber optic internet, pays by electronic check, total charges 1,500 and ";
    var huge = string.Concat(Enumerable.Repeat(words, 1024 * 1024 / words.Length + 1))[..(1024 * 1024)];
    // Uncapped at two sizes: the reading itself is linear in the question's length.
    foreach (var (name, limit, length) in new[] { ("capped (default)", new ChainOptions().MaxQuestionChars, huge.Length),
                 ("uncapped", int.MaxValue, huge.Length / 4), ("uncapped", int.MaxValue, huge.Length) })
    {
        var reader = new QuestionReader(Microsoft.Extensions.Options.Options.Create(new ChainOptions { MaxQuestionChars = limit }));
        await reader.ReadAsync(model.Schema, huge[..10_000], CancellationToken.None);
        var cpu = Environment.CpuUsage.TotalTime;
        await reader.ReadAsync(model.Schema, huge[..length], CancellationToken.None);
        Console.WriteLine($"{length / 1024} KB question, {name}: {(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds:0.0} ms CPU");
    }
}

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
internal sealed class SwappableModelSource(string dataset, string modelPath) : IModelSource
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

internal static class Args
{
    /// <summary>"--name value" pairs.</summary>
    public static Dictionary<string, string> Parse(string[] args) =>
        Enumerable.Range(0, args.Length / 2).ToDictionary(i => args[2 * i].TrimStart('-'), i => args[2 * i + 1]);
}
