using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Server;
using Serverless.Chain;
using Serverless.Chain.Forecasting;
using Serverless.Chain.Tests;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Serving;

namespace Serverless.Workflow.Tests;

/// <summary>
/// The model tools in process, as AIFunctions for any IChatClient: the same tools the MCP server lists, called by
/// Microsoft.Extensions.AI's function invocation on a real champion (Azurite, a real model). The scripted chat client
/// stands in for a hosted LLM, which cannot run here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ModelToolsInProcessTests(AzuriteFixture azurite) : IDisposable
{
    private const string Dataset = "tools";
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, object?> Record = new() { ["x"] = 150, ["z"] = 3 };
    private readonly string _folder = Directory.CreateTempSubdirectory("tools-").FullName;

    /// <summary>The durable engine has no history of a run whose records alone are left (purged, or another task hub).</summary>
    private sealed class EngineWithoutHistory : ITrainingRuns
    {
        public Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default) => Task.FromResult(false);
        public Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default) => Task.FromResult<RunState?>(null);
        public Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default) => Task.CompletedTask;
    }

    [Fact]
    public async Task The_ai_functions_are_the_tools_the_mcp_server_lists()
    {
        await using var services = new ServiceCollection().AddLogging().AddModelTools().BuildServiceProvider();
        var mcpTools = services.GetServices<McpServerTool>().Select(t => t.ProtocolTool).OrderBy(t => t.Name).ToList();
        await using var source = Champions();
        var functions = Tools(source).AsAIFunctions().OrderBy(f => f.Name).ToList();

        Assert.Equal([ModelTools.Explain, ModelTools.Forecast, ModelTools.GetRun, ModelTools.ListModels, ModelTools.ListRuns, ModelTools.Predict], functions.Select(f => f.Name));
        Assert.Equal(mcpTools.Select(t => t.Name), functions.Select(f => f.Name));
        Assert.Equal(mcpTools.Select(t => t.Description), functions.Select(f => f.Description));
        Assert.All(mcpTools.Zip(functions), pair => Assert.True(JsonElement.DeepEquals(pair.First.InputSchema, pair.Second.JsonSchema), pair.First.Name));
    }

    [Fact]
    public async Task A_chat_client_lists_the_models_predicts_explains_and_reads_a_run_through_the_ai_functions()
    {
        var (model, card) = SmallModel.Train(_folder);
        await new ModelRegistry(azurite.Containers, TimeProvider.System).DeployAsync(Dataset, "v1", model, card with { DataHash = "md5:1" }, Monday, UnseenRows.None);
        var runId = RunStore.InstancePrefix(Dataset) + "finished";
        await azurite.Runs.WriteReportAsync(runId, new TrainingReport
        {
            Status = RunStatus.Succeeded, Dataset = Dataset, BlobName = $"{Dataset}/data.csv", ModelVersion = "v1",
        });

        var llm = new ScriptedTestChatClient(
            _ => ScriptedTestChatClient.ToolCall(ModelTools.ListModels, new Dictionary<string, object?>()),
            _ => ScriptedTestChatClient.ToolCall(ModelTools.Predict, new Dictionary<string, object?> { ["dataset"] = Dataset, ["record"] = Record }),
            _ => ScriptedTestChatClient.ToolCall(ModelTools.Explain, new Dictionary<string, object?> { ["dataset"] = Dataset, ["record"] = Record }),
            _ => ScriptedTestChatClient.ToolCall(ModelTools.GetRun, new Dictionary<string, object?> { ["runId"] = runId }),
            _ => ScriptedTestChatClient.ToolCall(ModelTools.Predict, new Dictionary<string, object?> { ["dataset"] = "no-such-dataset", ["record"] = Record }),
            _ => ScriptedTestChatClient.Text("done"));
        using var chat = new ChatClientBuilder(llm).UseFunctionInvocation(configure: f => f.IncludeDetailedErrors = true).Build();
        await using var source = Champions();

        var response = await chat.GetResponseAsync("What would the model say?", new ChatOptions { Tools = [.. Tools(source).AsAIFunctions()] });

        Assert.Equal("done", response.Text);
        var results = llm.Received.Last().SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal(5, results.Count);
        var models = Json(results[0]).GetProperty("models");
        Assert.Equal("v1", Assert.Single(models.EnumerateArray(), m => m.GetProperty("dataset").GetString() == Dataset).GetProperty("version").GetString());
        var prediction = Json(results[1]);
        Assert.Equal("1", prediction.GetProperty("prediction").GetString());
        Assert.Equal("v1", prediction.GetProperty("modelVersion").GetString());
        Assert.Equal("150", prediction.GetProperty("inputs").GetProperty("x").GetString());
        var explanation = Json(results[2]);
        Assert.Equal(prediction.GetProperty("answer").GetString(), explanation.GetProperty("answer").GetString());
        Assert.True(JsonElement.DeepEquals(prediction.GetProperty("contributions"), explanation.GetProperty("contributions")));
        Assert.Equal("succeeded", Json(results[3]).GetProperty("report").GetProperty("status").GetString());
        Assert.IsType<ModelToolException>(results[4].Exception);
        Assert.Contains("No dataset named 'no-such-dataset'.", results[4].Result?.ToString());
    }

    private ChampionModelSource Champions() =>
        new(new ModelRegistry(azurite.Containers, TimeProvider.System), azurite.Datasets, azurite.Runs, NullLogger<ChampionModelSource>.Instance);

    /// <summary>The tools over the real stores and chain; the durable engine knows no run, so runs are read from their records.</summary>
    private ModelTools Tools(IModelSource champions)
    {
        var chain = new ServiceCollection().AddChain(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var runStates = new RunCancellation(azurite.Runs, azurite.Workspace());
        return new ModelTools(champions, chain.GetRequiredService<ChainRunner>(), chain.GetRequiredService<ForecastRunner>(),
            new ModelRegistry(azurite.Containers, TimeProvider.System), azurite.Runs, runStates, new EngineWithoutHistory());
    }

    private static JsonElement Json(FunctionResultContent result) => Assert.IsType<JsonElement>(result.Result);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
