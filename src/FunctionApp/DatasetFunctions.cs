using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The datasets routes: thin wrappers, <see cref="DatasetEndpoints"/> writes the whole response.</summary>
public sealed class DatasetFunctions(DatasetEndpoints endpoints)
{
    [Function("ListDatasets")]
    public Task<IActionResult> ListDatasets([HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Datasets)] HttpRequest request) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.ListAsync(request.HttpContext));

    [Function("GetDataset")]
    public Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Dataset)] HttpRequest request, string dataset) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.GetAsync(request.HttpContext, dataset));

    [Function("UploadDataset")]
    public Task<IActionResult> UploadDataset(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Dataset)] HttpRequest request, string dataset,
        [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.UploadAsync(request.HttpContext, dataset, new DurableClientTrainingRuns(client)));

    [Function("DeleteDataset")]
    public Task<IActionResult> DeleteDataset(
        [HttpTrigger(AuthorizationLevel.Admin, "delete", Route = ApiRoutes.Dataset)] HttpRequest request, string dataset,
        [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.DeleteAsync(request.HttpContext, dataset, new DurableClientTrainingRuns(client)));

    [Function("RetrainDataset")]
    public Task<IActionResult> RetrainDataset(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = ApiRoutes.Retrain)] HttpRequest request, string dataset,
        [DurableClient] DurableTaskClient client) =>
        EndpointResult.WrittenBy(request.HttpContext, endpoints.RetrainAsync(request.HttpContext, dataset, new DurableClientTrainingRuns(client)));
}
