using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tests.Shared;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// The MCP function called as the Functions host calls it, without the host (which cannot be installed here): an
/// HttpContext whose services are Program.cs's, a real Durable Task client (the SDK's in-process test host, with a
/// finished TrainModel instance), a JSON-RPC request in, the SDK's response read back.
/// </summary>
public sealed class McpFunctionTests
{
    [Fact]
    public async Task The_mcp_function_answers_get_run_through_its_own_invocation_s_durable_client()
    {
        var report = new TrainingReport { Status = RunStatus.Succeeded, Dataset = "fleet", BlobName = "fleet/a.csv", ModelVersion = "v7" };
        // A port the OS hands out free, as the Workflow tests do: the test host's own default collided with another process's.
        await using var durable = await DurableTaskTestHost.StartAsync(tasks =>
            tasks.AddOrchestrator(WorkflowNames.TrainModel, () => new FinishedRun(report)), new DurableTaskTestHostOptions { Port = Repo.FreePort() });
        var runId = await durable.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.TrainModel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await durable.Client.WaitForInstanceCompletionAsync(runId, timeout.Token);

        var services = ProgramServices.Build();
        await using var scope = services.CreateAsyncScope();
        var http = McpRequest(scope.ServiceProvider, new
        {
            jsonrpc = "2.0", id = 1, method = "tools/call",
            @params = new { name = ModelTools.GetRun, arguments = new { runId } },
        });
        await ActivatorUtilities.CreateInstance<McpFunctions>(services).Mcp(http.Request, durable.Client);

        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
        var result = Response(http).GetProperty("result");
        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), result.ToString());
        var state = result.GetProperty("structuredContent");
        Assert.Equal(runId, state.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", state.GetProperty("runtimeStatus").GetString());
        Assert.Equal("v7", state.GetProperty("report").GetProperty("modelVersion").GetString());
    }

    private static DefaultHttpContext McpRequest(IServiceProvider services, object message)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.Method = HttpMethods.Post;
        http.Request.Path = "/api/mcp";
        http.Request.ContentType = "application/json";
        http.Request.Headers.Accept = "application/json, text/event-stream";
        http.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(message));
        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>The JSON-RPC response, from the SSE stream the handler wrote (its "data:" line).</summary>
    private static JsonElement Response(HttpContext http)
    {
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        var data = body.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal));
        return JsonDocument.Parse(data["data: ".Length..]).RootElement;
    }

    /// <summary>A TrainModel instance that ends at once with the given report.</summary>
    private sealed class FinishedRun(TrainingReport report) : TaskOrchestrator<TrainingRequest?, TrainingReport>
    {
        public override Task<TrainingReport> RunAsync(TaskOrchestrationContext context, TrainingRequest? input) => Task.FromResult(report);
    }
}
