using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain;
using Serverless.Chain.Http;
using Serverless.Workflow.Api;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Serving;
using Serverless.Workflow.Storage;
using Serverless.Workflow.Training;

namespace Serverless.Workflow;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>Everything both hosts share: storage, registry, activities, trigger handlers, HTTP handlers, model tools (MCP).</summary>
    public static IServiceCollection AddWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageSettings.CreateBlobServiceClient(configuration));
        services.AddSingleton<Containers>();
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<RunWorkspace>();
        var cluster = Cluster.From(configuration, AppContext.BaseDirectory);
        services.AddSingleton(cluster);
        services.AddSingleton(new AutoMlEngine(new AutoMlOptions { MemoryPerTrialBytes = cluster.MemoryPerSlotBytes, MaxParallelTrials = cluster.Slots }));
        services.AddSingleton(new ForecastEngine());
        services.AddSingleton<TrainingSpecResolver>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<RunCancellation>();
        services.AddSingleton<RetrainPlanner>();
        services.AddSingleton<RunEndpoints>();
        services.AddSingleton<ModelEndpoints>();
        services.AddSingleton<DatasetEndpoints>();
        foreach (var activity in WorkflowActivities.All)
            services.AddSingleton(activity.Implementation);
        services.AddSingleton<ChampionModelSource>();
        services.AddSingleton<IModelSource>(sp => sp.GetRequiredService<ChampionModelSource>());
        services.AddChain(configuration);
        services.AddChainEndpoints();
        services.AddModelTools();
        return services;
    }
}
