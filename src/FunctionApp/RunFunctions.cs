using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The runs and models routes: thin wrappers, <see cref="RunEndpoints"/> writes the whole response.</summary>
public sealed class RunFunctions(RunEndpoints endpoints)
{
    [Function("GetRun")]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Run)] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(endpoints.GetRunAsync(request.HttpContext, instanceId, new DurableClientTrainingRuns(client)));

    [Function("ListRuns")]
    public Task<IActionResult> ListRuns([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Runs)] HttpRequest request) =>
        EndpointResult.WrittenBy(endpoints.ListRunsAsync(request.HttpContext));

    [Function("GetModels")]
    public Task<IActionResult> GetModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Models)] HttpRequest request, string dataset) =>
        EndpointResult.WrittenBy(endpoints.GetModelsAsync(request.HttpContext, dataset));

    [Function("RollbackModel")]
    public Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Rollback)] HttpRequest request, string dataset) =>
        EndpointResult.WrittenBy(endpoints.RollbackAsync(request.HttpContext, dataset));
}
