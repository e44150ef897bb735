using System.Diagnostics;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// Without the Functions host, the next best check of Program.cs: run its Main up to the point where the host is
/// built (caught through the hosting diagnostics, as ASP.NET Core's test host does), then build every class that
/// holds a [Function] from those services (the host constructs them per invocation, and a missing registration
/// fails only then).
/// </summary>
public sealed class CompositionTests
{
    private static readonly Type[] FunctionClasses = typeof(TrainingFunctions).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        .ToArray();

    [Fact]
    public void Every_function_class_is_built_from_the_services_Program_cs_registers()
    {
        var services = ProgramServices();

        Assert.Equal(["ChainFunctions", "DatasetFunctions", "ModelFunctions", "RunFunctions", "StudioFunctions", "TrainingFunctions"], FunctionClasses.Select(t => t.Name).Order());
        foreach (var type in FunctionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
    }

    /// <summary>The services of the host Program.cs builds; the host is stopped before it runs.</summary>
    private static IServiceProvider ProgramServices()
    {
        Environment.SetEnvironmentVariable("AzureWebJobsStorage", "UseDevelopmentStorage=true");
        IHost? built = null;
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e.Key != "HostBuilt") return;
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
