using System.Diagnostics;
using Microsoft.DurableTask;

namespace Serverless.Workflow.Training;

/// <summary>
/// An activity whose logic needs nothing from the Durable Task context, so the Functions wrappers
/// (which get no TaskActivityContext) and the local DTFx shim call the very same method.
/// </summary>
public abstract class WorkflowActivity<TInput, TOutput> : TaskActivity<TInput, TOutput>
{
    public sealed override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => ExecuteAsync(input);

    /// <summary>Runs the activity inside a trace span named after it; a failure marks the span.</summary>
    public async Task<TOutput> ExecuteAsync(TInput input)
    {
        using var span = Telemetry.Source.StartActivity(GetType().Name.Replace("Activity", ""));
        try
        {
            return await RunCoreAsync(input);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    protected abstract Task<TOutput> RunCoreAsync(TInput input);
}
