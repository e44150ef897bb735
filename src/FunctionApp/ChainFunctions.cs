using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Chain.Http;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The chain routes: thin wrappers, <see cref="ChainEndpoints"/> writes the whole response.</summary>
public sealed class ChainFunctions(ChainEndpoints endpoints)
{
    [Function("ChainInvoke")]
    public Task<IActionResult> Invoke(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ChainInvoke)] HttpRequest req, string dataset) =>
        EndpointResult.WrittenBy(req.HttpContext, endpoints.InvokeAsync(req.HttpContext, dataset));

    [Function("ChainBatch")]
    public Task<IActionResult> Batch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ChainBatch)] HttpRequest req, string dataset) =>
        EndpointResult.WrittenBy(req.HttpContext, endpoints.BatchAsync(req.HttpContext, dataset));

    [Function("ChainStream")]
    public Task<IActionResult> Stream(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ChainStream)] HttpRequest req, string dataset) =>
        EndpointResult.WrittenBy(req.HttpContext, endpoints.StreamAsync(req.HttpContext, dataset));

    [Function("ChainInputSchema")]
    public Task<IActionResult> InputSchema(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ChainInputSchema)] HttpRequest req, string dataset) =>
        EndpointResult.WrittenBy(req.HttpContext, endpoints.InputSchemaAsync(req.HttpContext, dataset));

    [Function("ChainOutputSchema")]
    public Task<IActionResult> OutputSchema(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.ChainOutputSchema)] HttpRequest req, string dataset) =>
        EndpointResult.WrittenBy(req.HttpContext, endpoints.OutputSchemaAsync(req.HttpContext, dataset));
}
