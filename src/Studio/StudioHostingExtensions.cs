using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Studio;

public static class StudioHostingExtensions
{
    public static IServiceCollection AddStudio(this IServiceCollection services) => services.AddSingleton<StudioFiles>();

    /// <summary>Serves the Studio at the root of <paramref name="endpoints"/>; routes mapped elsewhere (the /api group) take precedence.</summary>
    public static IEndpointRouteBuilder MapStudio(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/{**path}", (HttpContext http, string? path, StudioFiles files) => files.ServeAsync(http, path));
        return endpoints;
    }
}
