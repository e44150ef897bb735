using System.Globalization;
using Microsoft.AspNetCore.Http;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// What every API response passes through, on both hosts: when the storage account cannot be reached the caller gets
/// a quick 503 problem with Retry-After instead of an empty 500.
/// </summary>
public static class ApiGuard
{
    public const int RetryAfterSeconds = 5;

    public static async Task RespondAsync(HttpContext http, Task responding)
    {
        try
        {
            await responding;
        }
        catch (Exception e) when (StorageSettings.IsUnreachable(e) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await ApiProblems.Write(http, StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
                "The storage account cannot be reached. Retry in a few seconds.");
        }
    }
}
