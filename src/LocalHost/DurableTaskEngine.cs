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

    private readonly TaskHubWorker _worker;
    private readonly ILogger<DurableTaskEngine> _logger;
    private readonly string _taskHub;

    public AzureStorageOrchestrationService Service { get; }
    public TaskHubClient Client { get; }

    public DurableTaskEngine(IConfiguration configuration, Cluster cluster, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger<DurableTaskEngine>();
        var section = configuration.GetSection("DurableTask");
        var connectionString = configuration[StorageSettings.ConnectionName]
            ?? throw new InvalidOperationException($"The local host needs {StorageSettings.ConnectionName} (a connection string, e.g. Azurite's).");
        var settings = TaskHubSettings.For(cluster, configuration, connectionString, loggerFactory);
        _taskHub = settings.TaskHubName;
        Service = new AzureStorageOrchestrationService(settings);
        Client = new TaskHubClient(Service, Converter, loggerFactory);

        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, loggerFactory);
        _worker = new TaskHubWorker(Service, loggerFactory);
        var activitiesPerHistory = section.GetValue("ActivitiesPerHistory", TrainModelOrchestrator.DefaultActivitiesPerHistory);
        _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(WorkflowNames.TrainModel,
            () => shims.CreateOrchestration(WorkflowNames.TrainModel, new TrainModelOrchestrator(activitiesPerHistory))));
        foreach (var activity in WorkflowActivities.All)
            _worker.AddTaskActivities(new Creator<TaskActivity>(activity.Name,
                () => shims.CreateActivity(activity.Name, (ITaskActivity)services.GetRequiredService(activity.Implementation))));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Service.CreateIfNotExistsAsync();
        await _worker.StartAsync();
        _logger.LogInformation("Durable Task engine started on task hub {TaskHub}", _taskHub);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // In-flight activities are not cancelled; they are re-delivered after their visibility timeout (activities are idempotent).
        // Bounded by the host's shutdown timeout: with the storage emulator already gone, DTFx would wait forever.
        await _worker.StopAsync(isForced: true).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Activities and orchestrations are registered with version "" because the SDK schedules with the instance's version.</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            _create = create;
        }

        public override T Create() => _create();
    }
}
