using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Api;

public static class RunEndpointRouteBuilderExtensions
{
    /// <summary>Maps the runs and models routes of <see cref="ApiRoutes"/> onto <paramref name="api"/> (the /api group).</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet(ApiRoutes.Runs, (HttpContext http, RunEndpoints e) => e.ListRunsAsync(http));
        api.MapGet(ApiRoutes.Run, (HttpContext http, string instanceId, RunEndpoints e, ITrainingRuns runs) => e.GetRunAsync(http, instanceId, runs));
        api.MapGet(ApiRoutes.Models, (HttpContext http, string dataset, RunEndpoints e) => e.GetModelsAsync(http, dataset));
        api.MapPost(ApiRoutes.Rollback, (HttpContext http, string dataset, RunEndpoints e) => e.RollbackAsync(http, dataset));
        return api;
    }
}
