using Microsoft.Extensions.Configuration;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

public sealed class ClusterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cluster-").FullName;

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void Parallel_trials_default_to_every_workers_slots_and_each_slot_gets_its_share_of_a_workers_memory()
    {
        var cluster = Cluster.From(Settings(("AutoMl:Workers", "3"), ("DurableTask:MaxConcurrentActivities", "2"), ("DurableTask:WorkerId", "w1")), _folder);

        Assert.Equal(("w1", 3, 2, 6), (cluster.WorkerName, cluster.Workers, cluster.SlotsPerWorker, cluster.Slots));
        Assert.Equal(cluster.WorkerMemoryBytes / 2, cluster.MemoryPerSlotBytes);
    }

    [Fact]
    public void A_functions_app_takes_its_slots_per_instance_from_host_json()
    {
        File.WriteAllText(Path.Combine(_folder, "host.json"), """{ "version": "2.0", "extensions": { "durableTask": { "maxConcurrentActivityFunctions": 3 } } }""");

        var cluster = Cluster.From(Settings(("DurableTask:MaxConcurrentActivities", "7")), _folder);

        Assert.Equal((1, 3), (cluster.Workers, cluster.SlotsPerWorker));
        Assert.Equal(Environment.MachineName, cluster.WorkerName);
    }

    [Fact]
    public void Slots_are_capped_so_that_each_keeps_the_minimum_memory_of_a_trial()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var cluster = Cluster.From(Settings(("DurableTask:MaxConcurrentActivities", $"{memory / Cluster.MinimumSlotMemoryBytes + 5}")), _folder);

        Assert.Equal(memory / Cluster.MinimumSlotMemoryBytes, cluster.SlotsPerWorker);
        Assert.True(cluster.MemoryPerSlotBytes >= Cluster.MinimumSlotMemoryBytes);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
