using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Tests.Shared;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>One Azurite and one local host (separate processes, real DTFx, real ML.NET) for the pipeline tests.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    internal AzuriteProcess Azurite { get; private set; } = null!;
    internal LocalHostProcess Host { get; private set; } = null!;
    internal PipelineClient Client { get; private set; } = null!;
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("e2e-").FullName;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteProcess.StartAsync();
        Host = await LocalHostProcess.StartAsync(new HostSettings(Azurite.ConnectionString, "pipeline", _workDirectory));
        Client = new PipelineClient(Azurite.ConnectionString, Host.BaseAddress);
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        Azurite.Dispose();
        Directory.Delete(_workDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PipelineTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);
    private PipelineClient Client => fixture.Client;

    [Fact]
    public async Task Uploaded_csv_becomes_a_champion_that_the_chain_serves()
    {
        await Client.UploadAsync("churn/customers.csv", Data("churn-small.csv"),
            new Dictionary<string, string> { ["label"] = "churn", ["budgetseconds"] = "15" });

        var runId = await Client.WaitForSingleRunAsync("churn", TimeSpan.FromSeconds(30));
        var early = await Client.Http.PostAsJsonAsync("api/chain/churn/invoke", new { input = new { tenure = 2 } });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        var problem = await early.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/runs/{runId}", problem.GetProperty("runStatus").GetString());

        var run = await Client.WaitForRunToEndAsync(runId, RunTimeout);
        output.WriteLine(JsonSerializer.Serialize(run, BlobJson.Options));

        Assert.Equal(RuntimeStatus.Completed, run.RuntimeStatus);
        var report = Assert.IsType<TrainingReport>(run.Report);
        Assert.Equal(RunStatus.Succeeded, report.Status);
        Assert.Equal("binary", report.Task);
        Assert.Equal("churn", report.Label);
        Assert.True(report.Trials >= 2, $"only {report.Trials} trials ran");
        Assert.InRange(report.CvScore!.Value, 0.6, 1.0);

        var listed = await Client.Http.GetFromJsonAsync<JsonElement>("api/runs?dataset=churn");
        var summary = Assert.Single(listed.GetProperty("runs").EnumerateArray());
        Assert.Equal(runId, summary.GetProperty("instanceId").GetString());
        Assert.Equal("succeeded", summary.GetProperty("status").GetString());
        Assert.Equal(report.ModelVersion, summary.GetProperty("modelVersion").GetString());
        var recent = await Client.Http.GetFromJsonAsync<JsonElement>("api/runs");
        Assert.Contains(recent.GetProperty("runs").EnumerateArray(), r => r.GetProperty("instanceId").GetString() == runId);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.GetAsync("api/runs?dataset=Not_A_Name")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.Http.PostAsync("api/models/churn/rollback", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.PostAsync("api/models/no-such-dataset/rollback", null)).StatusCode);

        var (kept, workFiles) = await Client.RunRecordAsync(runId);
        Assert.Equal(report.ModelVersion, kept?.ModelVersion);
        Assert.Equal(["profile.json"], workFiles);

        var champion = await Client.ChampionAsync("churn");
        Assert.NotNull(champion);
        Assert.Equal(report.ModelVersion, champion.Version);
        var models = await Client.ModelsAsync("churn");
        Assert.Equal(report.ModelVersion, models.GetProperty("champion").GetProperty("version").GetString());

        var record = new Dictionary<string, object>
        {
            ["female"] = 1, ["senior_citizen"] = 0, ["partner"] = 0, ["dependents"] = 0, ["tenure"] = 2,
            ["phone_service"] = 1, ["multiple_lines"] = "No", ["internet_service"] = "Fiber optic",
            ["online_security"] = "No", ["online_backup"] = "No", ["device_protection"] = "No", ["tech_support"] = "No",
            ["streaming_tv"] = "Yes", ["streaming_movies"] = "Yes", ["contract"] = "Month-to-month",
            ["paperless_billing"] = 1, ["payment_method"] = "Electronic check", ["monthly_charges"] = 95.5, ["total_charges"] = 190.0,
        };
        var response = await Client.Http.PostAsJsonAsync("api/chain/churn/invoke", new { input = record });
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(body).RootElement.GetProperty("output");
        Assert.Equal(champion.Version, answer.GetProperty("modelVersion").GetString());
        Assert.Contains(answer.GetProperty("prediction").GetString(), new[] { "Yes", "No" });
    }

    [Fact]
    public async Task The_same_blob_uploaded_twice_starts_one_run()
    {
        var metadata = new Dictionary<string, string> { ["label"] = "churn", ["budgetseconds"] = "5" };
        await Client.UploadAsync("twice/customers.csv", Data("churn-small.csv"), metadata);
        var first = await Client.WaitForSingleRunAsync("twice", TimeSpan.FromSeconds(30));

        await Client.UploadAsync("twice/customers.csv", Data("churn-small.csv"), metadata);
        var etag = (await Client.Container(Containers.DatasetsName).GetBlobClient("twice/customers.csv").GetPropertiesAsync()).Value.ETag.ToString().Trim('"');
        await Eventually.GetAsync(async () =>
        {
            var receipts = await BlobJson.ReadAsync<Dictionary<string, string>>(Client.Container(Containers.RunsName).GetBlobClient("_watcher/receipts.json"));
            return receipts?.Value.GetValueOrDefault("twice/customers.csv")?.Trim('"') == etag ? receipts.Value.Value : null;
        }, TimeSpan.FromSeconds(30), "the watcher to see the second upload");

        Assert.Equal([first], await Client.RunIdsAsync("twice"));
        var run = await Client.WaitForRunToEndAsync(first, RunTimeout);
        output.WriteLine(JsonSerializer.Serialize(run, BlobJson.Options));
        Assert.Equal(RunStatus.Succeeded, run.Report?.Status);
    }

    [Fact]
    public async Task A_broken_csv_fails_its_own_run_with_a_readable_reason()
    {
        // Uploaded with the command line, as a user without storage tools would.
        var upload = await Cli.RunAsync(AppContext.BaseDirectory,
            "upload", "--data", Data("broken.csv"), "--dataset", "broken", "--label", "b", "--connection", fixture.Azurite.ConnectionString);
        Assert.True(upload.ExitCode == 0, upload.Stderr);
        Assert.Equal("datasets/broken/broken.csv", upload.Stdout.Trim());
        var runId = await Client.WaitForSingleRunAsync("broken", TimeSpan.FromSeconds(30));
        var run = await Client.WaitForRunToEndAsync(runId, RunTimeout);
        output.WriteLine(JsonSerializer.Serialize(run, BlobJson.Options));

        Assert.Equal(RuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal("b", (await Client.RunRequestAsync(runId))?.Spec.Label);
        Assert.Equal(RunStatus.Failed, run.Report!.Status);
        Assert.False(string.IsNullOrWhiteSpace(run.Report.Error));
        Assert.DoesNotContain("Exception", run.Report.Error);
        Assert.False(fixture.Host.HasExited, "a broken upload must not take the host down");
        Assert.Null(await Client.ChampionAsync("broken"));
        Assert.Equal(run.Report.Error, (await Client.RunRecordAsync(runId)).Report?.Error);
    }
}
