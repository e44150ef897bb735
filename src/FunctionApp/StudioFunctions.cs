using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Studio;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The Studio's web page at /api/studio/: the same embedded files the local host serves at /.</summary>
public sealed class StudioFunctions(StudioFiles files)
{
    /// <summary>Anonymous: the files hold no data, and the page asks for a key when an /api call answers 401.</summary>
    [Function("Studio")]
    public Task<IActionResult> Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Studio)] HttpRequest request, string? path) =>
        EndpointResult.WrittenBy(request.HttpContext, files.ServeAsync(request.HttpContext, path));
}
