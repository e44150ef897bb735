using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>Every chain route through a real Kestrel server on loopback, on models trained in the test run.</summary>
[Collection(TrainedModels.Collection)]
public sealed class ChainEndpointsTests(TrainedModels models)
{
    private const string Record = """{"input": {"tenure": 3, "contract": "Month-to-month", "monthly_charges": 80}}""";

    [Fact]
    public async Task Invoke_answers_a_record_with_prediction_probabilities_factors_answer_and_assumptions()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/telco/invoke", Json(Record));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var output = (await Body(response))["output"]!;
        Assert.Contains(output["prediction"]!.GetValue<string>(), models.Telco.Model.Schema.Classes!);
        Assert.Equal(2, output["probabilities"]!.AsObject().Count);
        var contributions = output["contributions"]!;
        Assert.NotEmpty(contributions["factors"]!.AsArray());
        Assert.Contains(contributions["factors"]![0]!["direction"]!.GetValue<string>(), new[] { "raises", "lowers" });
        Assert.Equal(contributions["rawScore"]!.GetValue<double>(),
            contributions["baseValue"]!.GetValue<double>() + contributions["otherColumns"]!.GetValue<double>()
            + contributions["factors"]!.AsArray().Sum(f => f!["contribution"]!.GetValue<double>()), tolerance: 1e-4);
        Assert.Equal("none", output["llm"]!.GetValue<string>());
        Assert.Equal(models.Telco.Version, output["modelVersion"]!.GetValue<string>());
        var assumed = output["assumed"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        Assert.Contains("payment_method", assumed);
        Assert.DoesNotContain("tenure", assumed);
        Assert.Contains("payment_method", output["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_answers_a_plain_question()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/telco/invoke",
            Json("""{"question": "would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?"}"""));

        var inputs = (await Body(response))["output"]!["inputs"]!;
        Assert.Equal("Month-to-month", inputs["contract"]!.GetValue<string>());
        Assert.Equal("80", inputs["monthly_charges"]!.GetValue<string>());
        Assert.Equal("3", inputs["tenure"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_uses_the_configured_llm_through_the_host_services()
    {
        var llm = new ScriptedTestChatClient(_ => ScriptedTestChatClient.Text("""{"answer": "Probably stays."}"""));
        await using var server = await Start(llm: llm, provider: "scripted-test");

        var output = (await Body(await server.Client.PostAsync("/api/chain/telco/invoke", Json(Record))))["output"]!;

        Assert.Equal("scripted-test", output["llm"]!.GetValue<string>());
        Assert.Equal("Probably stays.", output["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_answers_each_item_in_order_with_per_item_problems()
    {
        await using var server = await Start();
        var body = "[" + Record + """, {"input": {"tenure": "three"}}, {"question": "tenure: 60, contract: Two year"}]""";

        var response = await server.Client.PostAsync("/api/chain/telco/batch", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await Body(response)).AsArray();
        Assert.Equal(3, items.Count);
        Assert.Equal("3", items[0]!["output"]!["inputs"]!["tenure"]!.GetValue<string>());
        Assert.Equal(400, items[1]!["error"]!["status"]!.GetValue<int>());
        Assert.Equal("tenure", items[1]!["error"]!["fields"]![0]!.GetValue<string>());
        Assert.Equal("Two year", items[2]!["output"]!["inputs"]!["contract"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_with_a_number_no_model_can_take_answers_valid_json_with_that_item_as_a_problem()
    {
        await using var server = await Start();
        var body = "[" + string.Join(",", Enumerable.Repeat(Record, 50)) + """, {"input": {"tenure": 1e400}}]""";

        var response = await server.Client.PostAsync("/api/chain/telco/batch", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await Body(response)).AsArray();
        Assert.Equal(51, items.Count);
        Assert.All(items.Take(50), item => Assert.NotNull(item!["output"]));
        Assert.Equal("tenure", items[50]!["error"]!["fields"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_refuses_a_body_that_is_not_an_array()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/telco/batch", Json(Record));

        await AssertProblem(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task Stream_sends_each_step_then_the_output_then_end()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/telco/stream", Json(Record));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["step", "step", "step", "step", "step", "output", "end"], events.Select(e => e.Type));
        Assert.Equal(["parse", "validate", "predict", "explain", "compose"],
            events.Where(e => e.Type == "step").Select(e => e.Data["step"]!.GetValue<string>()));
        Assert.Equal("record", events[0].Data["data"]!["source"]!.GetValue<string>());
        Assert.Equal(models.Telco.Version, events[5].Data["output"]!["modelVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_delivers_each_step_as_it_happens_not_at_the_end()
    {
        var llmMayAnswer = new ManualResetEventSlim();
        var llm = new ScriptedTestChatClient(_ =>
        {
            llmMayAnswer.Wait(TimeSpan.FromSeconds(30));
            return ScriptedTestChatClient.Text("""{"answer": "done"}""");
        });
        await using var server = await Start(llm: llm, provider: "scripted-test");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chain/telco/stream") { Content = Json(Record) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        // The explain step arrives while the LLM is still composing: nothing waits for the end to be sent.
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains("\"step\":\"explain\"", StringComparison.Ordinal)) { }
        Assert.False(timeout.IsCancellationRequested);
        llmMayAnswer.Set();
        var rest = await reader.ReadToEndAsync(timeout.Token);

        Assert.Contains("\"answer\":\"done\"", rest);
        Assert.EndsWith("event: end\ndata: {}", rest.TrimEnd());
    }

    [Fact]
    public async Task Stream_reports_invalid_input_as_an_error_event()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/telco/stream", Json("""{"input": {"shoe_size": 9}}"""));

        var events = ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["step", "error", "end"], events.Select(e => e.Type));
        Assert.Equal("shoe_size", events[1].Data["fields"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Input_schema_describes_every_input_column_from_the_champion()
    {
        await using var server = await Start();

        var schema = await Body(await server.Client.GetAsync("/api/chain/telco/input_schema"));

        var record = schema["properties"]!["input"]!["oneOf"]![0]!["properties"]!.AsObject();
        Assert.Equal(models.Telco.Model.Schema.Columns.Count(c => c.Name != "churn"), record.Count);
        Assert.Equal("number", record["tenure"]!["type"]!.GetValue<string>());
        Assert.Contains("Month-to-month", record["contract"]!["examples"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.False(record.ContainsKey("churn"));
    }

    [Fact]
    public async Task Output_schema_lists_the_classes_and_columns()
    {
        await using var server = await Start();

        var schema = await Body(await server.Client.GetAsync("/api/chain/telco/output_schema"));

        var output = schema["properties"]!["output"]!["properties"]!;
        Assert.Equal(models.Telco.Model.Schema.Classes!.Order(), output["prediction"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        Assert.Contains("tenure", output["assumed"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.NotNull(output["contributions"]!["properties"]!["factors"]);
        Assert.NotNull(output["llm"]);
    }

    [Fact]
    public async Task Output_schema_of_a_regression_model_has_a_numeric_prediction()
    {
        await using var server = await Start();

        var schema = await Body(await server.Client.GetAsync("/api/chain/housing/output_schema"));

        Assert.Equal("number", schema["properties"]!["output"]!["properties"]!["prediction"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/chain/nope/invoke")]
    [InlineData("/api/chain/Bad..Name/invoke")]
    public async Task Unknown_dataset_is_404(string path)
    {
        await using var server = await Start();

        await AssertProblem(await server.Client.PostAsync(path, Json(Record)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task No_champion_yet_is_409_with_the_run_status_link()
    {
        await using var server = await Start();

        var response = await server.Client.GetAsync("/api/chain/training/input_schema");

        var problem = await AssertProblem(response, HttpStatusCode.Conflict);
        Assert.Equal("/api/runs/run-1", problem["runStatus"]!.GetValue<string>());
        Assert.Equal("/api/runs/run-1", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("""{"input": {"shoe_size": 9, "tenure": "x"}}""", "shoe_size")]
    [InlineData("""{"input": {"shoe_size": 9, "tenure": "x"}}""", "tenure")]
    [InlineData("""{"record": {}}""", "input")]
    [InlineData("""{"input": """, "body")]
    [InlineData("""{"input": {"tenure": 1e400}}""", "tenure")]
    [InlineData("""{"input": {"tenure": "Infinity"}}""", "tenure")]
    [InlineData("""{"input": {"tenure": "NaN"}}""", "tenure")]
    [InlineData("""{"input": {"monthly_charges": 1e39}}""", "monthly_charges")]
    public async Task Invalid_input_is_400_naming_the_fields(string body, string field)
    {
        await using var server = await Start();

        await AssertProblem(await server.Client.PostAsync("/api/chain/telco/invoke", Json(body)), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_failure_behind_the_chain_is_a_500_problem_without_internals()
    {
        var source = new InMemoryModelSource().Fail("telco", new IOException("storage account key=secret unreachable"));
        await using var server = await ChainTestServer.StartAsync(source);

        var response = await server.Client.PostAsync("/api/chain/telco/invoke", Json(Record));

        var problem = await AssertProblem(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("secret", problem.ToJsonString());
    }

    [Fact]
    public async Task A_body_over_1_MB_is_413_with_or_without_a_length()
    {
        await using var server = await Start();
        var big = $$"""{"question": "{{new string('a', 1024 * 1024)}}"}""";

        await AssertProblem(await server.Client.PostAsync("/api/chain/telco/invoke", Json(big)), HttpStatusCode.RequestEntityTooLarge);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chain/telco/invoke") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await server.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_champion_swapped_in_mid_traffic_fails_no_request()
    {
        var source = new InMemoryModelSource().Set("telco", ModelLookup.Of(models.Telco with { Version = "v1" }));
        await using var server = await ChainTestServer.StartAsync(source);
        using var reloaded = TrainedModel.Load(models.TelcoPath); // a new champion is a freshly loaded package
        var versions = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // Four clients keep calling until each has been answered by the new champion (bounded, in case it never is).
        var traffic = Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var response = await server.Client.PostAsync("/api/chain/telco/invoke", Json(Record));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var version = (await Body(response))["output"]!["modelVersion"]!.GetValue<string>();
                versions.Enqueue(version);
                if (version == "v2") return;
            }
        }).ToArray();
        while (versions.Count < 20) await Task.Delay(5);
        source.Set("telco", ModelLookup.Of(new ServedModel("telco", "v2", reloaded)));
        await Task.WhenAll(traffic);

        Assert.Contains("v1", versions);
        Assert.Equal(4, versions.Count(v => v == "v2"));
    }

    private Task<ChainTestServer> Start(ScriptedTestChatClient? llm = null, string provider = "none") =>
        ChainTestServer.StartAsync(
            new InMemoryModelSource()
                .Set("telco", ModelLookup.Of(models.Telco))
                .Set("housing", ModelLookup.Of(models.Housing))
                .Set("training", ModelLookup.Training("/api/runs/run-1")),
            llm, new Dictionary<string, string?> { ["Chain:Llm:Provider"] = provider });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Body(response);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        if (field is not null)
            Assert.Contains(field, problem["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        return problem;
    }

    internal static List<(string Type, JsonNode Data)> ParseSse(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (
                Type: lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..],
                Data: JsonNode.Parse(string.Concat(lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..])))!))
            .ToList();
}
