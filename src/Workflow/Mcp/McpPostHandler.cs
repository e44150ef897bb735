using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Serverless.Workflow.Mcp;

/// <summary>
/// The SDK's Streamable HTTP handler for POST as a plain request delegate, for a host that hands a function an
/// HttpContext instead of letting the app map endpoints (the Functions worker's ASP.NET Core integration). The SDK
/// exposes the handler only through <c>MapMcp</c>, so it is mapped once onto a private route builder and the POST
/// endpoint's delegate kept. Stateless, POST is all the transport serves: GET and DELETE exist only for sessions.
/// </summary>
public sealed class McpPostHandler
{
    private readonly RequestDelegate _post;

    public McpPostHandler(IServiceProvider services)
    {
        var routes = new PrivateRoutes(services);
        routes.MapMcp();
        _post = routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Single(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true)
            .RequestDelegate!;
    }

    /// <summary>Reads one JSON-RPC message from the request and writes the whole response (JSON or an SSE stream).</summary>
    public Task HandleAsync(HttpContext http) => _post(http);

    private sealed class PrivateRoutes(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
