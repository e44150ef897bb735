using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Workflow.Api;

namespace Serverless.FunctionApp;

/// <summary>The shared endpoint classes write the whole response to the HttpContext themselves.</summary>
internal static class EndpointResult
{
    /// <summary>Waits for the response to be written (through the API's guard); EmptyResult keeps the Functions host from adding one.</summary>
    public static async Task<IActionResult> WrittenBy(HttpContext http, Task writing)
    {
        await ApiGuard.RespondAsync(http, writing);
        return new EmptyResult();
    }
}
