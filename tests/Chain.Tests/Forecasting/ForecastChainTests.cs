using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Serverless.Chain.Tests.Forecasting;

/// <summary>The chain routes for a forecaster, through a real Kestrel server on loopback, on forecasters fitted in the test run.</summary>
public sealed class ForecastChainTests(TrainedForecasters forecasters) : IClassFixture<TrainedForecasters>
{
    [Fact]
    public async Task A_question_about_the_next_months_is_answered_with_a_forecast_table_and_words()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"question": "what will it be over the next 6 months?"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var output = (await Body(response))["output"]!;
        var rows = output["forecast"]!.AsArray();
        Assert.Equal(6, rows.Count);
        Assert.Equal(6, output["steps"]!.GetValue<int>());
        Assert.Equal("1961-01-01T00:00:00", rows[0]!["timestamp"]!.GetValue<string>());
        Assert.Equal("1961-06-01T00:00:00", rows[5]!["timestamp"]!.GetValue<string>());
        AssertIntervalsNest(rows);
        Assert.Equal("monthly", output["frequency"]!.GetValue<string>());
        Assert.Empty(output["assumed"]!.AsArray());
        Assert.Equal("none", output["llm"]!.GetValue<string>());
        Assert.Equal(TrainedForecasters.Version, output["modelVersion"]!.GetValue<string>());
        var answer = output["answer"]!.GetValue<string>();
        Assert.StartsWith("Forecast of ", answer);
        Assert.Contains("over the next 6 months (Jan 1961 to Jun 1961)", answer);
        Assert.Contains("80% prediction intervals", answer);
    }

    [Fact]
    public async Task A_question_about_a_date_is_forecast_to_it_and_answered_with_that_date_first()
    {
        await using var server = await Start();

        var output = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke",
            Json("""{"question": "how many passengers will there be in March 1961?"}"""))))["output"]!;

        var rows = output["forecast"]!.AsArray();
        Assert.Equal(3, rows.Count);
        Assert.Empty(output["assumed"]!.AsArray());
        var march = rows[2]!;
        Assert.Equal("1961-03-01T00:00:00", march["timestamp"]!.GetValue<string>());
        var answer = output["answer"]!.GetValue<string>();
        Assert.StartsWith($"Mar 1961: {march["forecast"]!.GetValue<double>():0} (80% interval {march["lo80"]!.GetValue<double>():0} to ", answer);
        Assert.Contains($"Forecast of {output["target"]!.GetValue<string>()} until Mar 1961 (Jan 1961 to Mar 1961)", answer);
    }

    [Fact]
    public async Task A_record_gives_the_horizon_and_a_question_without_one_takes_the_backtested_horizon()
    {
        await using var server = await Start();

        var three = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"input": {"horizon": 3}}"""))))["output"]!;
        Assert.Equal(3, three["forecast"]!.AsArray().Count);
        // As a form sends it: the number as text.
        var text = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"input": {"horizon": "3"}}"""))))["output"]!;
        Assert.Equal(three["forecast"]!.ToJsonString(), text["forecast"]!.ToJsonString());

        var asked = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"question": "what comes next?"}"""))))["output"]!;
        Assert.Equal(6, asked["forecast"]!.AsArray().Count);
        Assert.Equal(["horizon"], asked["assumed"]!.AsArray().Select(a => a!.GetValue<string>()));

        // A quarter is 3 monthly steps; two years are beyond the backtested horizon, so forecast with a warning.
        var quarter = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"input": "and next quarter?"}"""))))["output"]!;
        Assert.Equal(3, quarter["forecast"]!.AsArray().Count);
        var years = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"question": "over the next two years?"}"""))))["output"]!;
        Assert.Equal(24, years["forecast"]!.AsArray().Count);
        Assert.Contains("beyond the backtested horizon", Assert.Single(years["warnings"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task A_series_is_chosen_by_name_in_a_record_by_its_column_or_in_a_question()
    {
        await using var server = await Start();

        var byField = (await Body(await server.Client.PostAsync("/api/chain/regions/invoke", Json("""{"input": {"series": "East", "horizon": 2}}"""))))["output"]!;
        var byColumn = (await Body(await server.Client.PostAsync("/api/chain/regions/invoke", Json("""{"input": {"region": "east", "horizon": 2}}"""))))["output"]!;
        var asked = (await Body(await server.Client.PostAsync("/api/chain/regions/invoke",
            Json("""{"question": "how many riders in the North East over the next two months?"}"""))))["output"]!;

        Assert.Equal("East", byField["series"]!.GetValue<string>());
        Assert.Equal("East", byColumn["series"]!.GetValue<string>());
        Assert.Equal(byField["forecast"]!.ToJsonString(), byColumn["forecast"]!.ToJsonString());
        Assert.Equal("North East", asked["series"]!.GetValue<string>());
        Assert.Equal(2, asked["forecast"]!.AsArray().Count);
        // The second series is twice the first plus 10: so is its forecast, roughly.
        Assert.True(byField["forecast"]![0]!["forecast"]!.GetValue<double>() > 1.5 * asked["forecast"]![0]!["forecast"]!.GetValue<double>());
        Assert.Contains("for North East", asked["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Known_columns_take_a_value_per_step_or_one_for_every_step_and_are_assumed_when_left_out()
    {
        await using var server = await Start();

        async Task<JsonNode> Ask(string body) => (await Body(await server.Client.PostAsync("/api/chain/regions/invoke", Json(body))))["output"]!;
        var stepByStep = await Ask("""{"input": {"series": "East", "horizon": 2, "promo": [0, 1]}}""");
        var everyStep = await Ask("""{"input": {"series": "East", "horizon": 2, "promo": 1}}""");
        var leftOut = await Ask("""{"input": {"series": "East", "horizon": 2}}""");

        Assert.Empty(stepByStep["assumed"]!.AsArray());
        Assert.Empty(stepByStep["warnings"]!.AsArray());
        Assert.Empty(everyStep["warnings"]!.AsArray());
        Assert.Equal(["promo"], leftOut["assumed"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("'promo' was not supplied", Assert.Single(leftOut["warnings"]!.AsArray())!.GetValue<string>());
        // A question states them in words, for every step.
        var asked = await Ask("""{"question": "East over the next 2 months with a promo"}""");
        Assert.Empty(asked["assumed"]!.AsArray());
        Assert.Equal(everyStep["forecast"]!.ToJsonString(), asked["forecast"]!.ToJsonString());
        var schema = await Body(await server.Client.GetAsync("/api/chain/regions/input_schema"));
        Assert.Equal(2, schema["properties"]!["input"]!["oneOf"]![0]!["properties"]!["promo"]!["oneOf"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("regions", """{"input": {"series": "East", "promo": "often"}}""", "promo")]
    [InlineData("airline", """{"input": {"horizon": 0}}""", "horizon")]
    [InlineData("airline", """{"question": "over the next 100 years?"}""", "horizon")]
    [InlineData("airline", """{"input": {"horizon": "soon"}}""", "horizon")]
    [InlineData("airline", """{"input": {"horizon": 2.5}}""", "horizon")]
    [InlineData("airline", """{"input": {"promotion": [1, 0]}}""", "promotion")]
    [InlineData("regions", """{"question": "what comes next month?"}""", "series")]
    [InlineData("regions", """{"input": {"series": "West"}}""", "series")]
    [InlineData("airline", """{"question": " "}""", "question")]
    public async Task Input_a_forecaster_cannot_take_is_a_400_naming_the_field(string dataset, string body, string field)
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync($"/api/chain/{dataset}/invoke", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(field, (await Body(response))["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task Batch_refuses_a_forecaster_and_says_to_use_invoke()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/airline/batch", Json("""[{"input": {"horizon": 3}}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/api/chain/airline/invoke", (await Body(response))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_schemas_describe_the_horizon_the_series_and_the_forecast_table()
    {
        await using var server = await Start();

        var input = await Body(await server.Client.GetAsync("/api/chain/regions/input_schema"));
        var record = input["properties"]!["input"]!["oneOf"]![0]!["properties"]!;
        Assert.Equal(6, record["horizon"]!["default"]!.GetValue<int>());
        Assert.Equal(60, record["horizon"]!["maximum"]!.GetValue<int>());
        Assert.Equal(["North East", "East"], record["series"]!["enum"]!.AsArray().Select(s => s!.GetValue<string>()).Order().Reverse());

        var output = await Body(await server.Client.GetAsync("/api/chain/regions/output_schema"));
        var properties = output["properties"]!["output"]!["properties"]!;
        Assert.NotNull(properties["forecast"]);
        Assert.Equal(2, properties["series"]!["enum"]!.AsArray().Count);
        Assert.Contains("forecast of riders", output["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_reports_parse_forecast_and_compose_then_the_output()
    {
        await using var server = await Start();

        var response = await server.Client.PostAsync("/api/chain/airline/stream", Json("""{"question": "next quarter?"}"""));

        var events = ChainEndpointsTests.ParseSse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["step", "step", "step", "output", "end"], events.Select(e => e.Type));
        Assert.Equal(["parse", "forecast", "compose"], events.Take(3).Select(e => e.Data["step"]!.GetValue<string>()));
        Assert.Equal(3, events[3].Data["output"]!["forecast"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_configured_llm_writes_the_answer_from_the_forecast_table()
    {
        var llm = new ScriptedTestChatClient(_ => ScriptedTestChatClient.Text("""{"answer": "It keeps growing, with a summer peak."}"""));
        await using var server = await Start(llm, "scripted-test");

        var output = (await Body(await server.Client.PostAsync("/api/chain/airline/invoke", Json("""{"question": "next 6 months?"}"""))))["output"]!;

        Assert.Equal("It keeps growing, with a summer peak.", output["answer"]!.GetValue<string>());
        Assert.Equal("scripted-test", output["llm"]!.GetValue<string>());
        var facts = JsonNode.Parse(Assert.Single(llm.Received)[^1].Text)!;
        Assert.Equal(6, facts["forecast"]!.AsArray().Count);
        Assert.NotNull(facts["forecast"]![0]!["lo95"]);
        Assert.NotNull(facts["intervalCoverageOnBacktest"]);
        Assert.Null(llm.ReceivedOptions[0]?.Tools);
    }

    private static void AssertIntervalsNest(JsonArray rows) => Assert.All(rows, row =>
    {
        double Value(string name) => row![name]!.GetValue<double>();
        Assert.True(Value("lo95") <= Value("lo80") && Value("lo80") <= Value("forecast") && Value("forecast") <= Value("hi80")
                    && Value("hi80") <= Value("hi95"), row!.ToJsonString());
    });

    private Task<ChainTestServer> Start(IChatClient? llm = null, string provider = "none") =>
        ChainTestServer.StartAsync(
            new InMemoryModelSource().Set("airline", ModelLookup.Of(forecasters.Airline)).Set("regions", ModelLookup.Of(forecasters.Regions)),
            llm, new Dictionary<string, string?> { ["Chain:Llm:Provider"] = provider });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
