using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Api;
using Serverless.Workflow.Mcp;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The forecasting path on the real local host and Azurite: a monthly series uploaded through the API (by the command
/// line) with task=forecast becomes a deployed forecaster that the chain asks about the next months.
/// </summary>
public sealed class ForecastPipelineTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private PipelineClient Client => fixture.Client;

    [Fact]
    public async Task Uploaded_monthly_series_becomes_a_forecaster_that_answers_the_next_months_through_the_chain()
    {
        // Through the command line, which posts to /api/datasets/airline?file=air-passengers.csv&task=forecast&horizon=6&...
        var upload = await Cli.RunAsync(Path.GetTempPath(), "upload", "--data", Path.Combine(AppContext.BaseDirectory, "data", "air-passengers.csv"),
            "--dataset", "airline", "--task", "forecast", "--horizon", "6", "--budget-seconds", "15", "--host", fixture.Host.BaseAddress.ToString());
        Assert.True(upload.ExitCode == 0, upload.Stderr);
        var runId = await Client.WaitForSingleRunAsync("airline", TimeSpan.FromSeconds(30));
        var spec = (await Client.RunRequestAsync(runId))!.Spec;
        Assert.Equal((MlTask.Forecast, 6, 15), (spec.Task, spec.Horizon, spec.BudgetSeconds));
        var run = await Client.WaitForRunToEndAsync(runId, RunTimeout);
        output.WriteLine(JsonSerializer.Serialize(run, BlobJson.Options));

        Assert.Equal(RuntimeStatus.Completed, run.RuntimeStatus);
        var report = Assert.IsType<TrainingReport>(run.Report);
        Assert.True(report.Status == RunStatus.Succeeded, report.Error);
        Assert.Equal(("forecast", "mase", "passengers"), (report.Task, report.Metric, report.Label));
        var forecast = Assert.IsType<ForecastCard>(report.Forecast);
        Assert.Equal(6, forecast.Input.Horizon);
        Assert.Equal(report.CvScore, forecast.Backtest.Mase);
        Assert.True(forecast.Backtest.Mase < forecast.SeasonalNaiveBacktest!.Mase, "the forecaster beats the seasonal naive on its backtest");
        Assert.NotNull(forecast.Coverage.Coverage80);
        Assert.True(report.Trials >= 3, $"{report.Trials} candidates");
        Assert.Equal(report.Leaderboard.Where(t => t.Score is not null).Min(t => t.Score), report.Leaderboard[0].Score);
        var (_, workFiles) = await Client.RunRecordAsync(runId);
        Assert.Equal(["profile.json"], workFiles);

        var champion = await Client.ChampionAsync("airline");
        Assert.Equal((report.ModelVersion, "mase"), (champion?.Version, champion?.Metric));
        // The report keeps the run's history small; the registry's card keeps the charts.
        Assert.Empty(forecast.SeriesSummaries);
        var models = await Client.Http.GetFromJsonAsync<ModelList>("api/models/airline", BlobJson.Options);
        var deployed = Assert.Single(models!.Versions, v => v.Version == report.ModelVersion).Forecast!;
        Assert.Equal(6, Assert.Single(deployed.SeriesSummaries).Forecast.Count);
        Assert.NotEmpty(deployed.Leaderboard);

        const string Question = "what will passengers be over the next 6 months?";
        var response = await Client.Http.PostAsJsonAsync("api/chain/airline/invoke", new { question = Question });
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(body).RootElement.GetProperty("output");
        Assert.Equal(report.ModelVersion, answer.GetProperty("modelVersion").GetString());
        var rows = answer.GetProperty("forecast").EnumerateArray().ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal(new DateTime(1961, 1, 1), rows[0].GetProperty("timestamp").GetDateTime());
        Assert.All(rows, row =>
        {
            double Value(string name) => row.GetProperty(name).GetDouble();
            Assert.True(Value("lo95") <= Value("lo80") && Value("lo80") <= Value("forecast") && Value("forecast") <= Value("hi80")
                        && Value("hi80") <= Value("hi95"), row.ToString());
        });
        Assert.Contains("the next 6 months", answer.GetProperty("answer").GetString());

        var schema = await Client.Http.GetFromJsonAsync<JsonElement>("api/chain/airline/input_schema");
        Assert.Equal(6, schema.GetProperty("properties").GetProperty("input").GetProperty("oneOf")[0]
            .GetProperty("properties").GetProperty("horizon").GetProperty("default").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.PostAsJsonAsync("api/chain/airline/batch", new[] { new { question = "next month?" } })).StatusCode);

        // An agent asks the same over MCP, and predict says to call forecast.
        await using var mcp = await ModelToolsTests.ConnectAsync(fixture.Host.BaseAddress);
        var tool = await mcp.CallToolAsync(ModelTools.Forecast, ModelToolsTests.Arguments(("dataset", "airline"), ("question", Question)));
        Assert.True(tool.IsError is not true, ModelToolsTests.Text(tool));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(answer.GetRawText()), JsonNode.Parse(tool.StructuredContent!.Value.GetRawText())));
        var predict = await mcp.CallToolAsync(ModelTools.Predict, ModelToolsTests.Arguments(("dataset", "airline"), ("question", Question)));
        Assert.True(predict.IsError);
        Assert.Contains("is a forecaster: call forecast", ModelToolsTests.Text(predict));
    }
}
