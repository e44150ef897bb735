using System.Text.Json.Serialization;

namespace Serverless.Workflow.Runs;

/// <summary>Where runs are started and looked up: the Durable client in Azure Functions, DTFx locally.</summary>
public interface ITrainingRuns
{
    /// <summary>Schedules TrainModel under <paramref name="instanceId"/>; false when that instance already exists.</summary>
    Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default);

    Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default);

    /// <summary>Stops the orchestration (activities already running finish, but nothing new is scheduled).</summary>
    Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default);
}

/// <summary>
/// The orchestration's own status, named as both durable engines name theirs (they share these names), so a host
/// converts with <see cref="Enum.Parse{TEnum}(string)"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuntimeStatus>))]
public enum RuntimeStatus
{
    [JsonStringEnumMemberName("Running")] Running,
    [JsonStringEnumMemberName("Completed")] Completed,
    [JsonStringEnumMemberName("ContinuedAsNew")] ContinuedAsNew,
    [JsonStringEnumMemberName("Failed")] Failed,
    [JsonStringEnumMemberName("Canceled")] Canceled,
    [JsonStringEnumMemberName("Terminated")] Terminated,
    [JsonStringEnumMemberName("Pending")] Pending,
    [JsonStringEnumMemberName("Suspended")] Suspended,
}

public sealed record RunState
{
    public required string InstanceId { get; init; }
    public required RuntimeStatus RuntimeStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUpdatedAt { get; init; }
    public RunProgress? Progress { get; init; }
    public TrainingReport? Report { get; init; }
    /// <summary>Set when the orchestration itself crashed (a bug, not bad data: bad data ends in a failed report).</summary>
    public string? Failure { get; init; }

    /// <summary>Still going: not yet completed, failed or terminated.</summary>
    [JsonIgnore]
    public bool IsActive => RuntimeStatus is RuntimeStatus.Pending or RuntimeStatus.Running or RuntimeStatus.ContinuedAsNew or RuntimeStatus.Suspended;
}
