using System.Reflection;
using Microsoft.ML;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Stops a running ML.NET training when a token fires. MLContext implements cancellation (ML.NET's own AutoML uses
/// it) but only through an internal interface, so it is reached by reflection; without it a trial stops at the next fold.
/// </summary>
internal static class Cancellation
{
    private static readonly MethodInfo? CancelExecution = typeof(MLContext)
        .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        .FirstOrDefault(m => m.Name.EndsWith("CancelExecution", StringComparison.Ordinal) && m.GetParameters().Length == 0);

    public static CancellationTokenRegistration Link(MLContext context, CancellationToken token) =>
        token.Register(() => CancelExecution?.Invoke(context, null));
}
