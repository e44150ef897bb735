using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain.Http;

/// <summary>
/// The body of invoke, stream and each batch item, as the API documents it: a record or text as "input", or a
/// "question" (<see cref="ChainRequest.FromJson"/> reads it).
/// </summary>
public sealed record ChainInvokeBody(
    [property: Description("A record (column: value) or text.")] JsonElement? Input,
    [property: Description("A question in plain language.")] string? Question);

/// <summary>The answer of invoke, and of each batch item: the chain's output, or the problem with that item.</summary>
public sealed record ChainResponse(ChainOutput? Output, ProblemDetails? Error = null);

/// <summary>The answer of invoke for a forecaster: the forecast chain's output.</summary>
public sealed record ForecastResponse(ForecastOutput Output);
