using Microsoft.AspNetCore.Http;

namespace Serverless.Workflow.Api;

/// <summary>The API's RFC 7807 answers (problem+json), written the same by both hosts.</summary>
internal static class ApiProblems
{
    public static Task Write(HttpContext http, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);

    public static Task NoModels(HttpContext http, string dataset) =>
        Write(http, StatusCodes.Status404NotFound, "No models", $"Dataset '{dataset}' has no deployed model.");

    public static Task InvalidDataset(HttpContext http, string dataset) =>
        Write(http, StatusCodes.Status400BadRequest, "Invalid dataset name",
            $"'{dataset}' is not a dataset name: lowercase letters, digits and '-' (at most 63).");
}
