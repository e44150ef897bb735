using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Serverless.Workflow;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Training;

namespace Serverless.LocalHost;

/// <summary>
/// Microsoft's DTFx engine over the Azure Storage provider (Azurite locally): the same task hub tables and queues
/// the Functions host uses, running the very orchestrator and activity classes of Serverless.Workflow through
/// the Durable Task SDK's public shim factory.
/// </summary>
public sealed class DurableTaskEngine : IHostedService
{
    /// <summary>Client and worker must share the SDK's System.Text.Json converter (DTFx's default adds $type).</summary>
    public static readonly SdkDataConverter Converter = new(JsonDataConverter.Default);

    readonly TaskHubWorker worker;
    readonly ILogger<DurableTaskEngine> logger;
    readonly string taskHub;

    public AzureStorageOrchestrationService Service { get; }
    public TaskHubClient Client { get; }

    public DurableTaskEngine(IConfiguration configuration, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        logger = loggerFactory.CreateLogger<DurableTaskEngine>();
        var section = configuration.GetSection("DurableTask");
        taskHub = configuration["TaskHubName"] ?? "automl";
        var connectionString = configuration[StorageSettings.ConnectionName]
            ?? throw new InvalidOperationException($"The local host needs {StorageSettings.ConnectionName} (a connection string, e.g. Azurite's).");
        // Measured on Azurite: these make a restarted host resume a run in seconds instead of minutes.
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            WorkerId = section["WorkerId"] ?? "localhost",
            UseAppLease = false,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            LeaseAcquireInterval = TimeSpan.FromSeconds(2),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
            LeaseInterval = TimeSpan.FromSeconds(10),
            MaxConcurrentTaskActivityWorkItems = section.GetValue("MaxConcurrentActivities", Environment.ProcessorCount + 1),
            MaxConcurrentTaskOrchestrationWorkItems = section.GetValue("MaxConcurrentOrchestrations", 4),
            LoggerFactory = loggerFactory,
        });
        Client = new TaskHubClient(Service, Converter, loggerFactory);

        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, loggerFactory);
        worker = new TaskHubWorker(Service, loggerFactory);
        worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(WorkflowNames.TrainModel,
            () => shims.CreateOrchestration(WorkflowNames.TrainModel, new TrainModelOrchestrator())));
        worker.AddTaskActivities(
            Activity<PrepareDatasetActivity>(WorkflowNames.PrepareDataset),
            Activity<RunTrialActivity>(WorkflowNames.RunTrial),
            Activity<DeployChampionActivity>(WorkflowNames.DeployChampion),
            Activity<RecordRunActivity>(WorkflowNames.RecordRun));

        ObjectCreator<TaskActivity> Activity<T>(string name) where T : ITaskActivity =>
            new Creator<TaskActivity>(name, () => shims.CreateActivity(name, services.GetRequiredService<T>()));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Service.CreateIfNotExistsAsync();
        await worker.StartAsync();
        logger.LogInformation("Durable Task engine started on task hub {TaskHub}", taskHub);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // In-flight activities are not cancelled; they are re-delivered after their visibility timeout (activities are idempotent).
        // Bounded by the host's shutdown timeout: with the storage emulator already gone, DTFx would wait forever.
        await worker.StopAsync(isForced: true).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Activities and orchestrations are registered with version "" because the SDK schedules with the instance's version.</summary>
    sealed class Creator<T> : ObjectCreator<T>
    {
        readonly Func<T> create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            this.create = create;
        }

        public override T Create() => create();
    }
}
