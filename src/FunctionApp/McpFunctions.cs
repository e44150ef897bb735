using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Workflow.Api;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Runs;

namespace Serverless.FunctionApp;

/// <summary>
/// The MCP server of the model tools: the SDK's stateless Streamable HTTP handler on the HttpContext the ASP.NET Core
/// integration hands the function, so responses (JSON or an SSE stream) are written as on the local host.
/// </summary>
public sealed class McpFunctions(McpPostHandler handler)
{
    [Function("Mcp")]
    public Task<IActionResult> Mcp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Mcp)] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        // A stateless MCP server resolves its tools from the request's services: get_run finds this invocation's client there.
        request.HttpContext.RequestServices.GetRequiredService<InvocationTrainingRuns>().Runs = new DurableClientTrainingRuns(client);
        return EndpointResult.WrittenBy(request.HttpContext, handler.HandleAsync(request.HttpContext));
    }
}

/// <summary>
/// The Durable client comes with each invocation's [DurableClient] binding, never from the container, so a function
/// that lets shared code resolve <see cref="ITrainingRuns"/> puts its client here first (one per request scope).
/// </summary>
public sealed class InvocationTrainingRuns
{
    public ITrainingRuns? Runs { get; set; }

    public static IServiceCollection Register(IServiceCollection services) => services
        .AddScoped<InvocationTrainingRuns>()
        .AddScoped(sp => sp.GetRequiredService<InvocationTrainingRuns>().Runs
            ?? throw new InvalidOperationException("This function has no Durable client: bind [DurableClient] and set InvocationTrainingRuns.Runs."));
}
