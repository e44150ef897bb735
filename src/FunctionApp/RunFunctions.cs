using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The runs routes: thin wrappers, <see cref="RunEndpoints"/> writes the whole response.</summary>
public sealed class RunFunctions(RunEndpoints endpoints)
{
    [Function("ListRuns")]
    public Task<IActionResult> ListRuns([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Runs)] HttpRequest request) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.ListRunsAsync(request.HttpContext));

    [Function("GetRun")]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Run)] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.GetRunAsync(request.HttpContext, instanceId, new DurableClientTrainingRuns(client)));

    [Function("CancelRun")]
    public Task<IActionResult> CancelRun(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.CancelRun)] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.CancelAsync(request.HttpContext, instanceId, new DurableClientTrainingRuns(client)));

    [Function("OpenApi")]
    public Task<IActionResult> OpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        EndpointResult.WrittenBy(request.HttpContext, ApiDocument.WriteAsync(request.HttpContext));
}
