using DurableTask.AzureStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.LocalHost;
using Serverless.Workflow;

namespace Serverless.EndToEnd.Tests;

/// <summary>What the local host asks of DTFx's Azure Storage provider (the CPU each setting saves: bench/durable).</summary>
public sealed class TaskHubSettingsTests
{
    private static AzureStorageOrchestrationServiceSettings SettingsOf(int workers, params (string Key, string Value)[] settings) =>
        TaskHubSettings.For(new Cluster("worker-0", workers, SlotsPerWorker: 2, WorkerMemoryBytes: 4L << 30),
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
            "UseDevelopmentStorage=true", NullLoggerFactory.Instance);

    [Fact]
    public void A_single_worker_checks_its_partition_lease_every_10_seconds_and_several_workers_twice_a_second()
    {
        var alone = SettingsOf(workers: 1);
        var shared = SettingsOf(workers: 2);

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)), (alone.LeaseAcquireInterval, alone.LeaseInterval));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3)), (shared.LeaseAcquireInterval, shared.LeaseInterval));
        Assert.Equal(("worker-0", 1, 2), (shared.WorkerId, shared.PartitionCount, shared.MaxConcurrentTaskActivityWorkItems));
    }
}
