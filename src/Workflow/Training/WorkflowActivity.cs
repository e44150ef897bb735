using Microsoft.DurableTask;

namespace Serverless.Workflow.Training;

/// <summary>
/// An activity whose logic needs nothing from the Durable Task context, so the Functions wrappers
/// (which get no TaskActivityContext) and the local DTFx shim call the very same method.
/// </summary>
public abstract class WorkflowActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => ExecuteAsync(input);

    public abstract Task<TOutput> ExecuteAsync(TInput input);
}
