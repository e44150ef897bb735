using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Api;

public static class RunEndpointRouteBuilderExtensions
{
    /// <summary>Maps the runs, models and datasets routes of <see cref="ApiRoutes"/> onto <paramref name="api"/> (the /api group).</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            // The handlers write their own responses; when the guard answered instead, there is nothing more to write.
            object? result = Results.Empty;
            await ApiGuard.RespondAsync(context.HttpContext, Handle());
            return result;

            async Task Handle() => result = await next(context);
        });
        api.MapGet(ApiRoutes.Runs, (HttpContext http, RunEndpoints e) => e.ListRunsAsync(http));
        api.MapGet(ApiRoutes.Run, (HttpContext http, string instanceId, RunEndpoints e, ITrainingRuns runs) => e.GetRunAsync(http, instanceId, runs));
        api.MapPost(ApiRoutes.CancelRun, (HttpContext http, string instanceId, RunEndpoints e, ITrainingRuns runs) => e.CancelAsync(http, instanceId, runs));

        api.MapGet(ApiRoutes.Datasets, (HttpContext http, DatasetEndpoints e) => e.ListAsync(http));
        api.MapGet(ApiRoutes.Dataset, (HttpContext http, string dataset, DatasetEndpoints e) => e.GetAsync(http, dataset));
        api.MapPost(ApiRoutes.Dataset, (HttpContext http, string dataset, DatasetEndpoints e, ITrainingRuns runs) => e.UploadAsync(http, dataset, runs));
        api.MapDelete(ApiRoutes.Dataset, (HttpContext http, string dataset, DatasetEndpoints e, ITrainingRuns runs) => e.DeleteAsync(http, dataset, runs));
        api.MapPost(ApiRoutes.Retrain, (HttpContext http, string dataset, DatasetEndpoints e, ITrainingRuns runs) => e.RetrainAsync(http, dataset, runs));

        api.MapGet(ApiRoutes.Models, (HttpContext http, string dataset, ModelEndpoints e) => e.GetModelsAsync(http, dataset));
        api.MapPost(ApiRoutes.Rollback, (HttpContext http, string dataset, ModelEndpoints e) => e.RollbackAsync(http, dataset));
        api.MapPost(ApiRoutes.Promote, (HttpContext http, string dataset, string version, ModelEndpoints e) => e.PromoteAsync(http, dataset, version));
        api.MapGet(ApiRoutes.ModelPackage, (HttpContext http, string dataset, string version, ModelEndpoints e) => e.DownloadAsync(http, dataset, version));
        api.MapGet(ApiRoutes.OpenApi, (HttpContext http) => ApiDocument.WriteAsync(http));
        return routes;
    }
}
