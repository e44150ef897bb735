using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Serverless.Workflow.Api;

namespace Serverless.Workflow.Mcp;

public static class ModelToolsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The MCP server of the <see cref="ModelTools"/>: Streamable HTTP, stateless (no session to pin a client to an
    /// instance, which a scaled-out Functions app could not keep), and the handler a host without endpoint routing uses.
    /// </summary>
    public static IServiceCollection AddModelTools(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "serverless-automl", Title = "Serverless AutoML models", Version = "1.0.0" };
                options.ServerInstructions = "Each dataset uploaded to this app has a deployed model (its champion). Call "
                    + $"{ModelTools.ListModels} to see them and their input columns, {ModelTools.Predict} or {ModelTools.Explain} "
                    + $"with a record or a question, and {ModelTools.ListRuns} / {ModelTools.GetRun} to follow training.";
            })
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithTools<ModelTools>(ModelTools.JsonOptions);
        services.AddSingleton<McpPostHandler>();
        return services;
    }

    /// <summary>Maps the MCP endpoint at <see cref="ApiRoutes.Mcp"/> onto <paramref name="api"/> (the /api group).</summary>
    public static IEndpointRouteBuilder MapModelTools(this IEndpointRouteBuilder api)
    {
        api.MapMcp(ApiRoutes.Mcp);
        return api;
    }
}
