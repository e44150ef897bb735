using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Serverless.LocalHost;

/// <summary>
/// Who may call the local host. It listens on loopback and answers only to loopback host names (AllowedHosts, so DNS
/// rebinding finds nothing); a write from another origin (a page on some other site posting to it) is refused; and
/// when LocalHost:ApiKey is set every /api call needs it, in the header the Functions host uses (x-functions-key) or
/// as ?code=, so a client works against both hosts unchanged.
/// </summary>
public static class LocalAccess
{
    public const string KeyHeader = "x-functions-key";
    public const string KeyQuery = "code";
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    public static WebApplicationBuilder AddLocalAccess(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["AllowedHosts"]) || builder.Configuration["AllowedHosts"] == "*")
            builder.Configuration["AllowedHosts"] = LoopbackHosts;
        return builder;
    }

    public static IApplicationBuilder UseLocalAccess(this WebApplication app)
    {
        var apiKey = app.Configuration["LocalHost:ApiKey"] is { Length: > 0 } key ? key : null;
        return app.Use(async (http, next) =>
        {
            if (IsCrossOriginWrite(http.Request))
            {
                await Refuse(http, StatusCodes.Status403Forbidden, "Cross-origin write refused",
                    "This host accepts changes only from its own pages and from clients that send no Origin header.");
                return;
            }
            if (apiKey is not null && http.Request.Path.StartsWithSegments("/api") && !HasKey(http.Request, apiKey))
            {
                await Refuse(http, StatusCodes.Status401Unauthorized, "API key required",
                    $"Send the key set in LocalHost__ApiKey in the {KeyHeader} header (or as ?{KeyQuery}=).");
                return;
            }
            await next(http);
        });
    }

    /// <summary>A browser sends Origin on cross-site POSTs, including the "simple" text/plain ones that need no preflight.</summary>
    private static bool IsCrossOriginWrite(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        if (request.Headers.Origin is not { Count: > 0 } origin)
            return request.Headers["Sec-Fetch-Site"] == "cross-site";
        return !Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var from)
               || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasKey(HttpRequest request, string apiKey)
    {
        var given = request.Headers[KeyHeader] is { Count: > 0 } header ? header.ToString() : request.Query[KeyQuery].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(apiKey));
    }

    private static Task Refuse(HttpContext http, int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(http);
}
