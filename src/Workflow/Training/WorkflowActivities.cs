using Microsoft.DurableTask;
using Serverless.AutoMl;

namespace Serverless.Workflow.Training;

/// <summary>An activity of the TrainModel orchestration: its name and the class that runs it.</summary>
public abstract record ActivityDefinition(string Name, Type Implementation);

/// <summary>An activity with its input and output types, tied by the compiler to the class that runs it.</summary>
public sealed record Activity<TInput, TOutput, TImplementation>(string Name) : ActivityDefinition(Name, typeof(TImplementation))
    where TImplementation : WorkflowActivity<TInput, TOutput>
{
    public Task<TOutput> CallAsync(TaskOrchestrationContext context, TInput input) => context.CallActivityAsync<TOutput>(Name, input);
}

/// <summary>
/// The one table of TrainModel's activities: the orchestrator calls them through the typed extension methods below,
/// both hosts register them from <see cref="All"/> (the Functions app's wrappers are checked against it by a test).
/// </summary>
public static class WorkflowActivities
{
    public static readonly Activity<PrepareInput, PrepareOutput, PrepareDatasetActivity> PrepareDataset = new(WorkflowNames.PrepareDataset);
    public static readonly Activity<TrialBundleInput, TrialBundleOutput, RunTrialsActivity> RunTrials = new(WorkflowNames.RunTrials);
    public static readonly Activity<DeployInput, DeployOutput, DeployChampionActivity> DeployChampion = new(WorkflowNames.DeployChampion);
    public static readonly Activity<RecordRunInput, bool, RecordRunActivity> RecordRun = new(WorkflowNames.RecordRun);

    public static IReadOnlyList<ActivityDefinition> All { get; } = [PrepareDataset, RunTrials, DeployChampion, RecordRun];

    public static Task<PrepareOutput> PrepareDatasetAsync(this TaskOrchestrationContext context, PrepareInput input) =>
        PrepareDataset.CallAsync(context, input);

    public static Task<TrialBundleOutput> RunTrialsAsync(this TaskOrchestrationContext context, TrialBundleInput input) =>
        RunTrials.CallAsync(context, input);

    public static Task<DeployOutput> DeployChampionAsync(this TaskOrchestrationContext context, DeployInput input) =>
        DeployChampion.CallAsync(context, input);

    public static Task<bool> RecordRunAsync(this TaskOrchestrationContext context, RecordRunInput input) =>
        RecordRun.CallAsync(context, input);
}
