using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// Program.cs's services without the Functions host: its Main runs up to the point where the host is built (caught
/// through the hosting diagnostics, as ASP.NET Core's test host does), and the host is never run.
/// </summary>
internal static class ProgramServices
{
    /// <summary>The services of the host Program.cs builds; the host is stopped before it runs.</summary>
    public static IServiceProvider Build()
    {
        Environment.SetEnvironmentVariable("AzureWebJobsStorage", "UseDevelopmentStorage=true");
        IHost? built = null;
        // Main builds its host synchronously on this thread; hosts other tests build meanwhile are not Program.cs's.
        var mainThread = Environment.CurrentManagedThreadId;
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e.Key != "HostBuilt" || Environment.CurrentManagedThreadId != mainThread) return;
                    built = (IHost)e.Value!;
                    throw new HostBuilt();
                }));
        }));
        try
        {
            typeof(TrainingFunctions).Assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
        }
        catch (TargetInvocationException e) when (e.InnerException is HostBuilt)
        {
        }
        return built?.Services ?? throw new InvalidOperationException("Program.cs built no host.");
    }

    private sealed class HostBuilt : Exception;

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnNext(T value) => next(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
