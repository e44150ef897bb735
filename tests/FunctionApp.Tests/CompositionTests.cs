using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// Without the Functions host, the next best check of Program.cs: build every class that holds a [Function] from the
/// services it registers (<see cref="ProgramServices"/>; the host constructs them per invocation, and a missing
/// registration fails only then).
/// </summary>
public sealed class CompositionTests
{
    private static readonly Type[] FunctionClasses = typeof(TrainingFunctions).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        .ToArray();

    [Fact]
    public void Every_function_class_is_built_from_the_services_Program_cs_registers()
    {
        var services = ProgramServices.Build();

        Assert.Equal(["ChainFunctions", "DatasetFunctions", "McpFunctions", "ModelFunctions", "RunFunctions", "StudioFunctions", "TrainingFunctions"],
            FunctionClasses.Select(t => t.Name).Order());
        foreach (var type in FunctionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
    }
}
