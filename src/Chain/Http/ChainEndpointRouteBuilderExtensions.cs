using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless.Workflow.Http;

public static class ChainEndpointRouteBuilderExtensions
{
    /// <summary>Registers <see cref="ChainEndpoints"/>; call AddChain and register an IModelSource as well.</summary>
    public static IServiceCollection AddChainEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton<ChainSchemas>();
        services.TryAddSingleton<ChainEndpoints>();
        return services;
    }

    /// <summary>Maps the chain routes under /api/chain/{dataset}/ (the same routes the Functions host serves).</summary>
    public static IEndpointRouteBuilder MapChainEndpoints(this IEndpointRouteBuilder app)
    {
        var chain = app.MapGroup("/api/chain/{dataset}");
        chain.MapPost("/invoke", (HttpContext ctx, string dataset, ChainEndpoints e) => e.InvokeAsync(ctx, dataset));
        chain.MapPost("/batch", (HttpContext ctx, string dataset, ChainEndpoints e) => e.BatchAsync(ctx, dataset));
        chain.MapPost("/stream", (HttpContext ctx, string dataset, ChainEndpoints e) => e.StreamAsync(ctx, dataset));
        chain.MapGet("/input_schema", (HttpContext ctx, string dataset, ChainEndpoints e) => e.InputSchemaAsync(ctx, dataset));
        chain.MapGet("/output_schema", (HttpContext ctx, string dataset, ChainEndpoints e) => e.OutputSchemaAsync(ctx, dataset));
        return app;
    }
}
