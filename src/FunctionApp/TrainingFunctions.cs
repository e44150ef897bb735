using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Serverless.AutoMl;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.FunctionApp;

/// <summary>Thin wrappers: every line of logic lives in Serverless.Workflow, shared with the local host.</summary>
public sealed class TrainingFunctions(
    RunStarter starter,
    RetrainPlanner retrain,
    PrepareDatasetActivity prepare,
    RunTrialsActivity runTrials,
    DeployChampionActivity deploy,
    RecordRunActivity record)
{
    /// <summary>A CSV lands in datasets/{dataset}/{file}: start (at most once per data version) a training run.</summary>
    [Function("OnDatasetUploaded")]
    public Task OnDatasetUploaded(
        [BlobTrigger("datasets/{dataset}/{file}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        starter.StartAsync(blob.Name, new DurableClientTrainingRuns(client), RunReason.Upload, ct);

    [Function("Retrain")]
    public Task Retrain([TimerTrigger("%RetrainSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken ct) =>
        retrain.RetrainStaleAsync(new DurableClientTrainingRuns(client), ct);

    [Function(WorkflowNames.TrainModel)]
    public Task<TrainingReport?> TrainModel([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TrainModelOrchestrator().RunAsync(context, context.GetInput<TrainModelInput>()
            ?? throw new InvalidOperationException("TrainModel needs a TrainModelInput input."));

    [Function(WorkflowNames.PrepareDataset)]
    public Task<PrepareOutput> PrepareDataset([ActivityTrigger] PrepareInput input) => prepare.ExecuteAsync(input);

    [Function(WorkflowNames.RunTrials)]
    public Task<TrialBundleOutput> RunTrials([ActivityTrigger] TrialBundleInput input) => runTrials.ExecuteAsync(input);

    [Function(WorkflowNames.DeployChampion)]
    public Task<DeployOutput> DeployChampion([ActivityTrigger] DeployInput input) => deploy.ExecuteAsync(input);

    [Function(WorkflowNames.RecordRun)]
    public Task<bool> RecordRun([ActivityTrigger] RecordRunInput input) => record.ExecuteAsync(input);
}
