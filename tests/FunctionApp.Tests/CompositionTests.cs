using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Workflow;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// Without the Functions host, the next best check of Program.cs: the services it registers build every class that
/// holds a [Function] (the host constructs them per invocation, and a missing registration fails only then).
/// </summary>
public sealed class CompositionTests
{
    static readonly Type[] FunctionClasses = typeof(TrainingFunctions).Assembly.GetTypes()
        .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
        .ToArray();

    [Fact]
    public async Task Every_function_class_is_built_from_the_workflow_services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddWorkflow(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Equal(["ChainFunctions", "RunFunctions", "TrainingFunctions"], FunctionClasses.Select(t => t.Name).Order());
        foreach (var type in FunctionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(services, type));
    }
}
