using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>The datasets API on the real local host: upload without storage tools, discover, retrain, delete.</summary>
public sealed class DatasetApiTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);
    private PipelineClient Client => fixture.Client;

    private async Task<HttpResponseMessage> UploadAsync(string dataset, string query)
    {
        await using var file = File.OpenRead(Data("churn-small.csv"));
        return await Client.Http.PostAsync($"api/datasets/{dataset}?{query}", new StreamContent(file));
    }

    [Fact]
    public async Task A_dataset_is_uploaded_listed_retrained_and_deleted_through_the_api()
    {
        var upload = await UploadAsync("api-upload", "file=customers.csv&label=churn&budgetseconds=5");
        var started = await upload.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine(started.ToString());
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.True(started.GetProperty("started").GetBoolean());
        var runId = started.GetProperty("run").GetString()!;
        Assert.Equal($"/api/runs/{runId}", started.GetProperty("link").GetString());
        Assert.Equal("churn", (await Client.RunRequestAsync(runId))?.Spec.Label);
        Assert.Equal(RunStatus.Succeeded, (await Client.WaitForRunToEndAsync(runId, TimeSpan.FromMinutes(4))).Report?.Status);

        var again = await (await UploadAsync("api-upload", "file=customers.csv&label=churn&budgetseconds=5")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(runId, again.GetProperty("run").GetString());
        Assert.False(again.GetProperty("started").GetBoolean());

        var listed = (await Client.Http.GetFromJsonAsync<JsonElement>("api/datasets")).GetProperty("datasets").EnumerateArray()
            .Single(d => d.GetProperty("dataset").GetString() == "api-upload");
        Assert.Equal(1, listed.GetProperty("files").GetInt32());
        Assert.False(string.IsNullOrEmpty(listed.GetProperty("champion").GetProperty("version").GetString()));
        Assert.Equal(runId, listed.GetProperty("lastRun").GetProperty("instanceId").GetString());
        var detail = await Client.Http.GetFromJsonAsync<JsonElement>("api/datasets/api-upload");
        Assert.Equal("customers.csv", detail.GetProperty("files")[0].GetProperty("name").GetString());

        var retrain = await Client.Http.PostAsync("api/datasets/api-upload/retrain", null);
        Assert.Equal(HttpStatusCode.Accepted, retrain.StatusCode);
        var retrainRun = (await retrain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetString()!;
        Assert.NotEqual(runId, retrainRun);
        Assert.Equal(RunReason.Manual, (await Client.RunRequestAsync(retrainRun))?.Reason);

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.DeleteAsync("api/datasets/api-upload")).StatusCode);
        var deleted = await Client.Http.DeleteAsync("api/datasets/api-upload?confirm=api-upload");
        output.WriteLine(await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.GetAsync("api/datasets/api-upload")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.GetAsync("api/models/api-upload")).StatusCode);
        Assert.Empty(await Client.RunIdsAsync("api-upload"));
        await Eventually.GetAsync(async () => (await Client.Http.PostAsJsonAsync("api/chain/api-upload/invoke", new { input = new { tenure = 1 } })).StatusCode == HttpStatusCode.NotFound ? "gone" : null,
            TimeSpan.FromSeconds(10), "the chain to stop serving the deleted dataset");
    }

    [Fact]
    public async Task A_second_file_adds_its_rows_and_a_file_with_other_columns_fails_its_run_while_the_champion_stays()
    {
        var lines = File.ReadAllLines(Data("churn-small.csv"));
        var folder = Directory.CreateTempSubdirectory("files-").FullName;
        var (first, second, third) = (Path.Combine(folder, "first.csv"), Path.Combine(folder, "second.csv"), Path.Combine(folder, "third.csv"));
        File.WriteAllLines(first, lines[..251]);
        File.WriteAllLines(second, [lines[0], .. lines[251..]]);
        File.WriteAllLines(third, [lines[0].Replace("tenure", "months"), .. lines[1..50]]);

        async Task<RunState> TrainAsync(string file)
        {
            await using var content = File.OpenRead(file);
            var upload = await Client.Http.PostAsync($"api/datasets/api-files?file={Path.GetFileName(file)}&label=churn&budgetseconds=5", new StreamContent(content));
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            var run = await Client.WaitForRunToEndAsync((await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetString()!, TimeSpan.FromMinutes(4));
            output.WriteLine(JsonSerializer.Serialize(run.Report, BlobJson.Options));
            return run;
        }

        var champion = (await TrainAsync(first)).Report!;
        var both = await TrainAsync(second);

        var request = (await Client.RunRequestAsync(both.InstanceId))!;
        Assert.Equal(["first.csv", "second.csv"], request.Files.Select(f => f.Name));
        Assert.All(request.Files, f => Assert.StartsWith("md5:", f.ContentHash));
        Assert.Equal(RunStatus.Succeeded, both.Report!.Status);
        Assert.Contains("rows the champion never saw", both.Report.PromotionReason);
        var models = await Client.ModelsAsync("api-files");
        var card = models.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetString() == both.Report.ModelVersion);
        Assert.Equal(400, card.GetProperty("rows").GetInt32());
        Assert.Equal(["first.csv", "second.csv"], card.GetProperty("sourceFiles").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var live = both.Report.Promoted ? both.Report.ModelVersion : champion.ModelVersion;
        Assert.Equal(live, (await Client.ChampionAsync("api-files"))?.Version);

        var broken = (await TrainAsync(third)).Report!;

        Assert.Equal(RunStatus.Failed, broken.Status);
        Assert.Equal("'third.csv' does not have the columns of 'first.csv', so it cannot be trained on with it: "
            + "it lacks 'tenure'; it has 'months', which 'first.csv' lacks.", broken.Error);
        Assert.Equal(live, (await Client.ChampionAsync("api-files"))?.Version);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_run_claimed_but_not_scheduled_yet_is_pending_not_unknown()
    {
        // The listing shows a run as soon as its request is claimed; its own route must not answer 404 meanwhile.
        const string RunId = "claimed_0123456789abcdef";
        await BlobJson.WriteAsync(Client.Container(Containers.RunsName).GetBlobClient($"{RunId}/request.json"),
            new TrainingRequest { Dataset = "claimed", BlobName = "claimed/data.csv", DataHash = "md5:x", Spec = new() });

        var state = await Client.Http.GetFromJsonAsync<JsonElement>($"api/runs/{RunId}");

        Assert.Equal("Pending", state.GetProperty("runtimeStatus").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.GetAsync("api/runs/claimed_fedcba9876543210")).StatusCode);
    }

    [Fact]
    public async Task The_host_serves_its_openapi_document()
    {
        var document = await Client.Http.GetFromJsonAsync<JsonElement>("api/openapi.json");
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/datasets/{dataset}", out _));
    }

    [Theory]
    [InlineData("api-bad", "label=churn", "File name required")]
    [InlineData("api-bad", "file=../x.csv", "File name required")]
    [InlineData("api-bad", "file=x.csv&task=clustering", "Invalid training spec")]
    [InlineData("Api_Bad", "file=x.csv", "Invalid dataset name")]
    public async Task An_upload_with_a_bad_name_or_spec_is_a_400_and_stores_nothing(string dataset, string query, string title)
    {
        var response = await UploadAsync(dataset, query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Empty(await Client.RunIdsAsync("api-bad"));
    }
}
