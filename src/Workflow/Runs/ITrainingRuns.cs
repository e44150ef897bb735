namespace Serverless.Workflow.Training;

/// <summary>Where runs are started and looked up: the Durable client in Azure Functions, DTFx locally.</summary>
public interface ITrainingRuns
{
    /// <summary>Schedules TrainModel under <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default);

    Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default);
}

public sealed record RunState
{
    public required string InstanceId { get; init; }
    /// <summary>Pending, Running, Completed, Failed, Terminated...</summary>
    public required string RuntimeStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUpdatedAt { get; init; }
    public RunProgress? Progress { get; init; }
    public TrainingReport? Report { get; init; }
    /// <summary>Set when the orchestration itself crashed (a bug, not bad data: bad data ends in a failed report).</summary>
    public string? Failure { get; init; }

    public static string InstancePrefix(string dataset) => dataset + "_";
}
