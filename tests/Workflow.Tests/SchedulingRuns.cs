using System.Collections.Concurrent;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

/// <summary>
/// Schedules like a durable client (an instance id can be scheduled once; a scheduled run runs until terminated), so
/// starting logic can be tested on real storage without the engine (the end-to-end tests run the real one).
/// </summary>
internal sealed class SchedulingRuns : ITrainingRuns
{
    public ConcurrentDictionary<string, TrainingRequest> Scheduled { get; } = new();
    public ConcurrentDictionary<string, string> Terminated { get; } = new();

    public Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default) =>
        Task.FromResult(Scheduled.TryAdd(instanceId, request));

    public Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default) => Task.FromResult(
        Scheduled.ContainsKey(instanceId)
            ? new RunState { InstanceId = instanceId, RuntimeStatus = Terminated.ContainsKey(instanceId) ? RuntimeStatus.Terminated : RuntimeStatus.Running }
            : null);

    public Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default)
    {
        Terminated[instanceId] = reason;
        return Task.CompletedTask;
    }
}
