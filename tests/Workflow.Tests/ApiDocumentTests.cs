using System.Text.Json.Nodes;
using Serverless.Workflow.Api;

namespace Serverless.Workflow.Tests;

public sealed class ApiDocumentTests
{
    private static readonly JsonObject Document = ApiDocument.Build();

    [Fact]
    public void Every_route_of_the_table_is_described_with_its_method_and_path_parameters()
    {
        var paths = Document["paths"]!.AsObject();
        foreach (var route in ApiRoutes.All)
        {
            var operation = paths["/" + route.Template]?[route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{route.Method} {route.Template} is missing");
            var inPath = operation!["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>());
            Assert.Equal(route.Template.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')), inPath);
        }
        Assert.Equal(ApiRoutes.All.Count, paths.Sum(p => p.Value!.AsObject().Count));
    }

    [Fact]
    public void Answers_are_described_by_the_schemas_of_the_types_the_routes_write()
    {
        var run = Document["paths"]!["/runs/{instanceId}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.NotNull(run["properties"]!["runtimeStatus"]);
        var invoke = Document["paths"]!["/chain/{dataset}/invoke"]!["post"]!;
        Assert.NotNull(invoke["requestBody"]!["content"]!["application/json"]!["schema"]!["properties"]!["question"]);
        Assert.NotNull(invoke["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["properties"]!["output"]);
        Assert.Equal("admin", Document["paths"]!["/models/{dataset}/rollback"]!["post"]!["x-access"]!.GetValue<string>());
        Assert.Equal("3.1.0", Document["openapi"]!.GetValue<string>());
    }
}
