using Microsoft.AspNetCore.Mvc;

namespace Serverless.FunctionApp;

/// <summary>The shared endpoint classes write the whole response to the HttpContext themselves.</summary>
internal static class EndpointResult
{
    /// <summary>Waits for the response to be written; EmptyResult keeps the Functions host from adding one.</summary>
    public static async Task<IActionResult> WrittenBy(Task writing)
    {
        await writing;
        return new EmptyResult();
    }
}
