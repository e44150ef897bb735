using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The models routes: thin wrappers, <see cref="ModelEndpoints"/> writes the whole response.</summary>
public sealed class ModelFunctions(ModelEndpoints endpoints)
{
    [Function("GetModels")]
    public Task<IActionResult> GetModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Models)] HttpRequest request, string dataset) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.GetModelsAsync(request.HttpContext, dataset));

    [Function("RollbackModel")]
    public Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Rollback)] HttpRequest request, string dataset) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.RollbackAsync(request.HttpContext, dataset));

    [Function("PromoteModel")]
    public Task<IActionResult> PromoteModel(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Promote)] HttpRequest request, string dataset, string version) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.PromoteAsync(request.HttpContext, dataset, version));

    [Function("DownloadModel")]
    public Task<IActionResult> DownloadModel(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = ApiRoutes.ModelPackage)] HttpRequest request, string dataset, string version) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.DownloadAsync(request.HttpContext, dataset, version));
}
