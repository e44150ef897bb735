using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.AutoMl;

namespace Serverless.Chain.Http;

/// <summary>The chain's RFC 7807 problems.</summary>
public static class ChainProblems
{
    public static ProblemDetails InvalidInput(InvalidRecordException e) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Invalid input",
        Detail = e.Message,
        Extensions = { ["fields"] = e.Fields },
    };

    public static ProblemDetails UnknownDataset(string dataset) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Unknown dataset",
        Detail = $"No dataset named '{dataset}'. Upload a CSV to datasets/{dataset}/ to create it.",
    };

    public static ProblemDetails NoChampion(string dataset, string? runStatusUrl) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "No model deployed yet",
        Detail = runStatusUrl is null
            ? $"Dataset '{dataset}' has no deployed model."
            : $"Dataset '{dataset}' has no deployed model yet; a run is training one: {runStatusUrl}",
        Extensions = { ["runStatus"] = runStatusUrl },
    };

    public static ProblemDetails TooLarge(long maxBytes) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Body too large",
        Detail = $"The body may hold at most {maxBytes} bytes.",
    };

    public static ProblemDetails MalformedJson(string reason) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Malformed JSON",
        Detail = reason,
        Extensions = { ["fields"] = new[] { "body" } },
    };

    /// <summary>Seconds a client should wait before retrying a 503.</summary>
    public const int RetryAfterSeconds = 5;

    public static ProblemDetails Unavailable(string reason) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Temporarily unavailable",
        Detail = $"{reason} Retry in a few seconds.",
    };

    public static ProblemDetails Failed() => new()
    {
        Status = StatusCodes.Status500InternalServerError,
        Title = "The chain failed",
        Detail = "The request failed on the server; the host's log has the details.",
    };

    public static IResult Result(ProblemDetails problem) => TypedResults.Problem(problem);
}
