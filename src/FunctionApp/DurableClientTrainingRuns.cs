using Microsoft.DurableTask.Client;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.FunctionApp;

/// <summary>Runs through the Durable Functions client (the Functions twin of the local DTFx client).</summary>
public sealed class DurableClientTrainingRuns(DurableTaskClient client) : ITrainingRuns
{
    public async Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default)
    {
        if (await client.GetInstanceAsync(instanceId, ct) is not null)
            return false;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.TrainModel, new TrainModelInput(request), new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), ct);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // started by a concurrent trigger invocation between the check and here
        }
    }

    public Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default) =>
        client.TerminateInstanceAsync(instanceId, reason, ct);

    public async Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (instance is null)
            return null;
        return new RunState
        {
            InstanceId = instanceId,
            RuntimeStatus = Enum.Parse<RuntimeStatus>(instance.RuntimeStatus.ToString()),
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
            Progress = instance.ReadCustomStatusAs<RunProgress>(),
            Report = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<TrainingReport>() : null,
            Failure = instance.FailureDetails?.ErrorMessage,
        };
    }
}
