using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Runs;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>An agent's view of the app: the SDK's MCP client over HTTP against the real local host's /api/mcp.</summary>
public sealed class ModelToolsTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private const string Dataset = "agents";
    private const string Question = "would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private PipelineClient Client => fixture.Client;

    private static readonly Dictionary<string, object> Record = new()
    {
        ["tenure"] = 2, ["contract"] = "Month-to-month", ["internet_service"] = "Fiber optic", ["monthly_charges"] = 95.5,
        ["payment_method"] = "Electronic check", ["paperless_billing"] = 1,
    };

    [Fact]
    public async Task An_agent_lists_the_models_predicts_explains_and_follows_the_run_over_mcp()
    {
        await Client.UploadAsync($"{Dataset}/customers.csv", Path.Combine(AppContext.BaseDirectory, "data", "churn-small.csv"),
            new Dictionary<string, string> { ["label"] = "churn", ["budgetseconds"] = "5" });
        var runId = await Client.WaitForSingleRunAsync(Dataset, TimeSpan.FromSeconds(30));
        await using var mcp = await ConnectAsync();

        var early = await mcp.CallToolAsync(ModelTools.Predict, Arguments(("dataset", Dataset), ("question", Question)));
        Assert.True(early.IsError);
        Assert.Contains($"has no deployed model yet; a run is training one: /api/runs/{runId}", Text(early));

        var run = await Client.WaitForRunToEndAsync(runId, RunTimeout);
        Assert.Equal(RunStatus.Succeeded, run.Report?.Status);
        var version = run.Report!.ModelVersion;

        var tools = await mcp.ListToolsAsync();
        Assert.Equal([ModelTools.Explain, ModelTools.Forecast, ModelTools.GetRun, ModelTools.ListModels, ModelTools.ListRuns, ModelTools.Predict],
            tools.Select(t => t.Name).Order());
        var predictSchema = tools.Single(t => t.Name == ModelTools.Predict).JsonSchema;
        Assert.Equal(["dataset", "question", "record"], predictSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["dataset"], predictSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        var models = await CallAsync(mcp, ModelTools.ListModels);
        var model = Assert.Single(models["models"]!.AsArray(), m => m!["dataset"]!.GetValue<string>() == Dataset)!;
        Assert.Equal(version, model["version"]!.GetValue<string>());
        Assert.Equal("binary", model["task"]!.GetValue<string>());
        Assert.Equal("churn", model["label"]!.GetValue<string>());
        Assert.Equal("auc", model["metric"]!.GetValue<string>());
        Assert.Equal(run.Report.CvScore, model["score"]!.GetValue<double>());
        var columns = model["inputColumns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Contains("tenure", columns);
        Assert.DoesNotContain("churn", columns);
        Assert.Equal(columns.Order(), model["recordSchema"]!["properties"]!.AsObject().Select(p => p.Key).Order());

        // The tool answers exactly what the chain's invoke endpoint answers, for a record and for a question.
        var fromRecord = await CallAsync(mcp, ModelTools.Predict, ("dataset", Dataset), ("record", Record));
        output.WriteLine(fromRecord.ToJsonString());
        Assert.Contains(fromRecord["prediction"]!.GetValue<string>(), new[] { "Yes", "No" });
        Assert.Equal(version, fromRecord["modelVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(await InvokeAsync(new { input = Record }), fromRecord));

        var fromQuestion = await CallAsync(mcp, ModelTools.Predict, ("dataset", Dataset), ("question", Question));
        output.WriteLine(fromQuestion.ToJsonString());
        Assert.Equal("3", fromQuestion["inputs"]!["tenure"]!.GetValue<string>());
        Assert.Equal("Month-to-month", fromQuestion["inputs"]!["contract"]!.GetValue<string>());
        Assert.NotEmpty(fromQuestion["assumed"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(await InvokeAsync(new { question = Question }), fromQuestion));

        var unknownColumn = new Dictionary<string, object> { ["tenure"] = 2, ["no_such_column"] = 1 };
        var invalid = await mcp.CallToolAsync(ModelTools.Predict, Arguments(("dataset", Dataset), ("record", unknownColumn)));
        Assert.True(invalid.IsError);
        Assert.Contains("Unknown fields: no_such_column", Text(invalid));
        Assert.EndsWith(await ProblemDetailAsync(Dataset, new { input = unknownColumn }), Text(invalid));

        var explained = await CallAsync(mcp, ModelTools.Explain, ("dataset", Dataset), ("question", Question));
        Assert.NotEmpty(explained["contributions"]!["factors"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(fromQuestion["contributions"], explained["contributions"]));
        Assert.Equal(fromQuestion["answer"]!.GetValue<string>(), explained["answer"]!.GetValue<string>());
        Assert.Equal(fromQuestion["prediction"]!.GetValue<string>(), explained["prediction"]!.GetValue<string>());

        var state = await CallAsync(mcp, ModelTools.GetRun, ("runId", runId));
        Assert.Equal("Completed", state["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("succeeded", state["report"]!["status"]!.GetValue<string>());
        Assert.Equal(version, state["report"]!["modelVersion"]!.GetValue<string>());
        var runs = await CallAsync(mcp, ModelTools.ListRuns, ("dataset", Dataset));
        Assert.Equal(runId, Assert.Single(runs["runs"]!.AsArray())!["instanceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tool_call_the_api_would_refuse_is_a_tool_error_with_the_api_s_message()
    {
        await using var mcp = await ConnectAsync();

        var unknown = await mcp.CallToolAsync(ModelTools.Predict, Arguments(("dataset", "no-such-dataset"), ("record", Record)));
        Assert.True(unknown.IsError);
        Assert.Contains("No dataset named 'no-such-dataset'. Upload a CSV to datasets/no-such-dataset/ to create it.", Text(unknown));
        Assert.EndsWith(await ProblemDetailAsync("no-such-dataset", new { input = Record }), Text(unknown));

        var noRun = await mcp.CallToolAsync(ModelTools.GetRun, Arguments(("runId", "no-such-dataset_0")));
        Assert.True(noRun.IsError);
        Assert.Contains("No training run has the id 'no-such-dataset_0'.", Text(noRun));

        var neither = await mcp.CallToolAsync(ModelTools.Explain, Arguments(("dataset", "no-such-dataset")));
        Assert.True(neither.IsError);
        Assert.Contains("Give either a record", Text(neither));
    }

    private Task<McpClient> ConnectAsync() => ConnectAsync(fixture.Host.BaseAddress);

    /// <summary>An MCP client of a host's /api/mcp, as an agent connects.</summary>
    internal static async Task<McpClient> ConnectAsync(Uri host) => await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(host, "api/mcp"),
        TransportMode = HttpTransportMode.StreamableHttp,
    }));

    internal static Dictionary<string, object?> Arguments(params (string Name, object Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => (object?)a.Value);

    /// <summary>A successful call's structured result.</summary>
    private static async Task<JsonNode> CallAsync(McpClient mcp, string tool, params (string Name, object Value)[] arguments)
    {
        var result = await mcp.CallToolAsync(tool, Arguments(arguments));
        Assert.True(result.IsError is not true, Text(result));
        return JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!;
    }

    internal static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<JsonNode> InvokeAsync(object body)
    {
        var response = await Client.Http.PostAsJsonAsync($"api/chain/{Dataset}/invoke", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["output"]!;
    }

    /// <summary>What the invoke endpoint says of a request it refuses.</summary>
    private async Task<string> ProblemDetailAsync(string dataset, object body)
    {
        var response = await Client.Http.PostAsJsonAsync($"api/chain/{dataset}/invoke", body);
        Assert.False(response.IsSuccessStatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }
}
