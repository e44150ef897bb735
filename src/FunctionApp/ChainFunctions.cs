using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Workflow.Http;

namespace Serverless.FunctionApp;

/// <summary>The chain routes: thin wrappers, <see cref="ChainEndpoints"/> writes the whole response.</summary>
public sealed class ChainFunctions(ChainEndpoints endpoints)
{
    [Function("ChainInvoke")]
    public Task<IActionResult> Invoke(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "chain/{dataset}/invoke")] HttpRequest req, string dataset) =>
        Written(endpoints.InvokeAsync(req.HttpContext, dataset));

    [Function("ChainBatch")]
    public Task<IActionResult> Batch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "chain/{dataset}/batch")] HttpRequest req, string dataset) =>
        Written(endpoints.BatchAsync(req.HttpContext, dataset));

    [Function("ChainStream")]
    public Task<IActionResult> Stream(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "chain/{dataset}/stream")] HttpRequest req, string dataset) =>
        Written(endpoints.StreamAsync(req.HttpContext, dataset));

    [Function("ChainInputSchema")]
    public Task<IActionResult> InputSchema(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "chain/{dataset}/input_schema")] HttpRequest req, string dataset) =>
        Written(endpoints.InputSchemaAsync(req.HttpContext, dataset));

    [Function("ChainOutputSchema")]
    public Task<IActionResult> OutputSchema(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "chain/{dataset}/output_schema")] HttpRequest req, string dataset) =>
        Written(endpoints.OutputSchemaAsync(req.HttpContext, dataset));

    /// <summary>The response is already written to the HttpContext; EmptyResult keeps the Functions host from adding one.</summary>
    private static async Task<IActionResult> Written(Task writing)
    {
        await writing;
        return new EmptyResult();
    }
}
