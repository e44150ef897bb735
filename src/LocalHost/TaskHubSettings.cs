using DurableTask.AzureStorage;
using Serverless.Workflow;

namespace Serverless.LocalHost;

/// <summary>
/// The local host's settings of DTFx's Azure Storage provider. On one machine every storage round trip the task hub
/// makes is CPU (the host's and Azurite's) taken from the trials, so the settings keep only the round trips that buy
/// something: measured in bench/durable/RESULTS.md, explained in docs/durable-search.md.
/// </summary>
public static class TaskHubSettings
{
    /// <summary>
    /// Several workers: the partition (where the orchestrations run) passes to another worker within 2.5-3.5 s of its
    /// owner's death: the lease lasts 3 s and every worker renews or claims it twice a second (six tries per lease; a
    /// lease lost to a worker that was merely slow costs a replay of the current history, not a run).
    /// </summary>
    public static readonly PartitionLease SharedLease = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));

    /// <summary>
    /// One worker: nobody can take the partition over, so the lease is checked at DTFx's default cadence (a read and a
    /// write of the partition table every 10 s instead of twice a second). A restarted host has the same worker id and
    /// takes its own lease back at once, expired or not.
    /// </summary>
    public static readonly PartitionLease OwnLease = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    /// <summary>How often the partition table is read (and the lease renewed or claimed), and how long a lease lasts.</summary>
    public sealed record PartitionLease(TimeSpan CheckEvery, TimeSpan Lasts);

    public static AzureStorageOrchestrationServiceSettings For(Cluster cluster, IConfiguration configuration, string connectionString,
        ILoggerFactory loggerFactory)
    {
        var section = configuration.GetSection("DurableTask");
        var lease = cluster.Workers > 1 ? SharedLease : OwnLease;
        // Measured on Azurite: the visibility timeouts make a restarted host resume a run in seconds instead of minutes.
        // Activities are renewed every 5 s by DTFx, so their visibility timeout must stay well above that: a bundle
        // redelivered while it still runs would run twice.
        return new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = configuration["TaskHubName"] ?? "automl",
            WorkerId = cluster.WorkerName,
            UseAppLease = false,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            LeaseAcquireInterval = lease.CheckEvery,
            LeaseInterval = lease.Lasts,
            // A worker takes no more trials than its share of the run's slots, so every worker of the task hub gets its share.
            MaxConcurrentTaskActivityWorkItems = cluster.SlotsPerWorker,
            MaxConcurrentTaskOrchestrationWorkItems = section.GetValue("MaxConcurrentOrchestrations", 4),
            LoggerFactory = loggerFactory,
        };
    }
}
