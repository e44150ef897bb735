using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Workflow.Runs;

namespace Serverless.FunctionApp;

public sealed class RunFunctions(RunEndpoints endpoints)
{
    [Function("GetRun")]
    public async Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{instanceId}")] HttpRequest request,
        string instanceId, [DurableClient] DurableTaskClient client)
    {
        await endpoints.GetRunAsync(request.HttpContext, instanceId, new DurableClientTrainingRuns(client));
        return new EmptyResult();
    }

    [Function("ListRuns")]
    public async Task<IActionResult> ListRuns([HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequest request)
    {
        await endpoints.ListRunsAsync(request.HttpContext);
        return new EmptyResult();
    }

    [Function("GetModels")]
    public async Task<IActionResult> GetModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{dataset}")] HttpRequest request, string dataset)
    {
        await endpoints.GetModelsAsync(request.HttpContext, dataset);
        return new EmptyResult();
    }

    [Function("RollbackModel")]
    public async Task<IActionResult> RollbackModel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "models/{dataset}/rollback")] HttpRequest request, string dataset)
    {
        await endpoints.RollbackAsync(request.HttpContext, dataset);
        return new EmptyResult();
    }
}
