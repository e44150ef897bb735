using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Serverless.Workflow;

/// <summary>
/// This process as one worker of the deployment, and what the deployment can run at once, so that a run's parallel
/// trials follow the cluster rather than the machine that happened to prepare the data:
/// <list type="bullet">
/// <item><see cref="Workers"/>: <c>AutoMl:Workers</c> (the local host: how many hosts share the task hub; Azure: the
/// scale limit, set by the template), default 1;</item>
/// <item><see cref="SlotsPerWorker"/>: the activities a worker runs at once (the Functions host's
/// <c>maxConcurrentActivityFunctions</c> in host.json; the local host's <c>DurableTask:MaxConcurrentActivities</c>,
/// default the cores), capped so each slot keeps <see cref="MinimumSlotMemoryBytes"/> of the worker's memory.</item>
/// </list>
/// </summary>
public sealed record Cluster(string WorkerName, int Workers, int SlotsPerWorker, long WorkerMemoryBytes)
{
    /// <summary>Below this a trial of even a small dataset (ML.NET, its data views, one model) does not fit.</summary>
    public const long MinimumSlotMemoryBytes = 256L << 20;

    /// <summary>Trials the deployment can run at once: the default of a run's parallel trials.</summary>
    public int Slots => Workers * SlotsPerWorker;

    /// <summary>What each trial may use: its worker's memory shared by the worker's slots.</summary>
    public long MemoryPerSlotBytes => WorkerMemoryBytes / SlotsPerWorker;

    /// <summary>
    /// Reads the settings; <paramref name="appFolder"/> is where a Functions app keeps its host.json (the local host
    /// has none there). The worker's name is <c>DurableTask:WorkerId</c> (local host), else the machine's.
    /// </summary>
    public static Cluster From(IConfiguration configuration, string appFolder)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var activities = HostActivityConcurrency(appFolder)
            ?? configuration.GetValue<int?>("DurableTask:MaxConcurrentActivities")
            ?? Environment.ProcessorCount;
        var slots = (int)Math.Clamp(memory / MinimumSlotMemoryBytes, 1, Math.Max(1, activities));
        return new Cluster(
            configuration["DurableTask:WorkerId"] is { Length: > 0 } id ? id : Environment.MachineName,
            Math.Max(1, configuration.GetValue("AutoMl:Workers", 1)),
            slots,
            memory);
    }

    /// <summary>extensions.durableTask.maxConcurrentActivityFunctions of the Functions host's host.json, when there is one.</summary>
    private static int? HostActivityConcurrency(string appFolder)
    {
        var hostJson = Path.Combine(appFolder, "host.json");
        if (!File.Exists(hostJson))
            return null;
        return JsonNode.Parse(File.ReadAllText(hostJson))?["extensions"]?["durableTask"]?["maxConcurrentActivityFunctions"]?.GetValue<int>();
    }
}
