using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.LocalHost;

/// <summary>Starts and reads TrainModel runs through the DTFx client (the local twin of the Functions durable client).</summary>
public sealed class DtfxTrainingRuns(DurableTaskEngine engine) : ITrainingRuns
{
    private static readonly OrchestrationStatus[] AnyStatus = Enum.GetValues<OrchestrationStatus>();

    public async Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default)
    {
        if (await StateAsync(instanceId) is not null)
            return false;
        try
        {
            await engine.Client.CreateOrchestrationInstanceAsync(WorkflowNames.TrainModel, "", instanceId, new TrainModelInput(request), null, AnyStatus);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default)
    {
        var state = await StateAsync(instanceId);
        if (state is null)
            return null;
        var completed = state.OrchestrationStatus == OrchestrationStatus.Completed;
        return new RunState
        {
            InstanceId = instanceId,
            RuntimeStatus = Enum.Parse<RuntimeStatus>(state.OrchestrationStatus.ToString()),
            CreatedAt = state.CreatedTime,
            LastUpdatedAt = state.LastUpdatedTime,
            Progress = Read<RunProgress>(state.Status),
            Report = completed ? Read<TrainingReport>(state.Output) : null,
            Failure = state.OrchestrationStatus == OrchestrationStatus.Failed ? state.Output ?? "The orchestration failed." : null,
        };
    }

    public Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default) =>
        engine.Client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    /// <summary>
    /// The instance's state without its input: a run's input carries its search checkpoint (or a list of proposals),
    /// which a status read has no use for.
    /// </summary>
    private async Task<OrchestrationState?> StateAsync(string instanceId) =>
        (await engine.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: false)).FirstOrDefault();

    private static T? Read<T>(string? json) where T : class =>
        string.IsNullOrEmpty(json) ? null : DurableTaskEngine.Converter.Deserialize<T>(json);
}
