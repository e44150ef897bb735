using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Serverless.Chain.Http;

public static class ChainEndpointRouteBuilderExtensions
{
    /// <summary>Registers <see cref="ChainEndpoints"/>; call AddChain and register an IModelSource as well.</summary>
    public static IServiceCollection AddChainEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton<ChainSchemas>();
        services.TryAddSingleton<ChainEndpoints>();
        return services;
    }

    /// <summary>Maps the <see cref="ChainRoutes"/> onto <paramref name="api"/> (the /api group; the Functions host serves the same).</summary>
    public static IEndpointRouteBuilder MapChainEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost(ChainRoutes.Invoke, (HttpContext ctx, string dataset, ChainEndpoints e) => e.InvokeAsync(ctx, dataset));
        api.MapPost(ChainRoutes.Batch, (HttpContext ctx, string dataset, ChainEndpoints e) => e.BatchAsync(ctx, dataset));
        api.MapPost(ChainRoutes.Stream, (HttpContext ctx, string dataset, ChainEndpoints e) => e.StreamAsync(ctx, dataset));
        api.MapGet(ChainRoutes.InputSchema, (HttpContext ctx, string dataset, ChainEndpoints e) => e.InputSchemaAsync(ctx, dataset));
        api.MapGet(ChainRoutes.OutputSchema, (HttpContext ctx, string dataset, ChainEndpoints e) => e.OutputSchemaAsync(ctx, dataset));
        return api;
    }
}
