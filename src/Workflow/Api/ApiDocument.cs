using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Serverless.Chain;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Api;

/// <summary>
/// The OpenAPI 3.1 description of the API, generated from the route table (<see cref="ApiRoutes.All"/>) and the types
/// the routes answer with, so it is the same on both hosts and cannot drift from the routes.
/// </summary>
public static partial class ApiDocument
{
    private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true };
    private static readonly Lazy<string> Json = new(() => Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public static Task WriteAsync(HttpContext http) => Results.Text(Json.Value, "application/json").ExecuteAsync(http);

    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var group in ApiRoutes.All.GroupBy(r => r.Template))
        {
            var path = new JsonObject();
            foreach (var route in group)
                path[route.Method.ToLowerInvariant()] = Operation(route);
            paths["/" + group.Key] = path;
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Serverless AutoML",
                ["version"] = "1",
                ["description"] = "CSV in, deployed model and question-answering endpoint out. Routes marked admin need the " +
                                  "admin key on Azure; locally every route needs LocalHost__ApiKey when it is set.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" + ApiRoutes.Prefix }),
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }),
            ["paths"] = paths,
        };
    }

    private static JsonObject Operation(ApiRoute route)
    {
        var parameters = new JsonArray();
        foreach (Match name in RouteParameter().Matches(route.Template))
            parameters.Add(Parameter(name.Groups[1].Value, "path", $"The {name.Groups[1].Value}.", required: true));
        foreach (var query in route.Query)
            parameters.Add(Parameter(query.Name, "query", query.Description, query.Required));

        var success = new JsonObject { ["description"] = route.Summary };
        if (route.Response is { } type || route.ResponseMediaType != "application/json")
            success["content"] = new JsonObject { [route.ResponseMediaType] = new JsonObject { ["schema"] = Schema(route.Response) } };
        var operation = new JsonObject
        {
            ["operationId"] = OperationId(route),
            ["summary"] = route.Summary,
            ["tags"] = new JsonArray(route.Template.Split('/')[0]),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                [$"{route.SuccessStatus}"] = success,
                ["default"] = new JsonObject
                {
                    ["description"] = "A problem (RFC 7807): 400 invalid input, 401/403 access, 404 unknown, 409 conflict, 413 too large, 503 storage unreachable.",
                    ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
                },
            },
        };
        if (route.Access == RouteAccess.Admin)
            operation["x-access"] = "admin";
        if (route.Body is { } body)
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["description"] = body.Description,
                ["content"] = new JsonObject { [body.MediaType] = new JsonObject { ["schema"] = Schema(body.Type) } },
            };
        return operation;
    }

    /// <summary>The JSON Schema of a type as the API writes it (the chain's types in the chain's wire format).</summary>
    private static JsonNode Schema(Type? type)
    {
        if (type is null)
            return new JsonObject();
        var options = type.Namespace?.StartsWith(typeof(ChainJson).Namespace!, StringComparison.Ordinal) == true
                      || type.GenericTypeArguments.Any(t => t.Namespace?.StartsWith(typeof(ChainJson).Namespace!, StringComparison.Ordinal) == true)
            ? ChainJson.Options
            : BlobJson.Options;
        return options.GetJsonSchemaAsNode(type, Exporter);
    }

    private static JsonObject Parameter(string name, string location, string description, bool required) => new()
    {
        ["name"] = name, ["in"] = location, ["required"] = required, ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    /// <summary>"POST datasets/{dataset}/retrain" becomes "postDatasetsRetrain".</summary>
    private static string OperationId(ApiRoute route) =>
        route.Method.ToLowerInvariant() + string.Concat(route.Template.Split('/', '.', '_')
            .Where(part => part.Length > 0 && !part.StartsWith('{'))
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();
}
