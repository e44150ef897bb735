using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Workflow.Runs;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>What an operator does on the real local host: cancel a run, promote and roll back versions, download a model.</summary>
public sealed class OperationsTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);
    private PipelineClient Client => fixture.Client;

    private static Dictionary<string, string> Spec(int budgetSeconds) => new() { ["label"] = "churn", ["budgetseconds"] = $"{budgetSeconds}" };

    [Fact]
    public async Task A_cancelled_run_stops_releases_its_files_and_deploys_nothing()
    {
        await Client.UploadAsync("cancel/customers.csv", Data("churn-small.csv"), Spec(120));
        var runId = await Client.WaitForSingleRunAsync("cancel", TimeSpan.FromSeconds(30));
        await Eventually.GetAsync(async () => await Client.GetRunAsync(runId) is { Progress.Stage: RunStage.Searching } state ? state : null,
            TimeSpan.FromMinutes(2), "the search to start");

        var response = await Client.Http.PostAsync($"api/runs/{runId}/cancel", null);
        output.WriteLine(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await Client.GetRunAsync(runId);
        Assert.Equal(RuntimeStatus.Terminated, run?.RuntimeStatus);
        Assert.Equal(RunStatus.Cancelled, run?.Report?.Status);
        Assert.Equal(RunStatus.Cancelled, (await Client.RunRecordAsync(runId)).Report?.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.Http.PostAsync($"api/runs/{runId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.PostAsync("api/runs/cancel_0000/cancel", null)).StatusCode);
        // Trials that were running when it stopped may still finish; their files go too.
        await Eventually.GetAsync(async () => (await Client.RunRecordAsync(runId)).WorkFiles.All(f => f == "profile.json") ? "released" : null,
            TimeSpan.FromSeconds(60), "the working files to be released");
        Assert.Null(await Client.ChampionAsync("cancel"));
    }

    [Fact]
    public async Task Versions_can_be_promoted_rolled_back_one_at_a_time_and_downloaded()
    {
        var lines = File.ReadAllLines(Data("churn-small.csv"));
        var (january, february) = (Path.GetTempFileName(), Path.GetTempFileName());
        File.WriteAllLines(january, lines[..301]);
        File.WriteAllLines(february, [lines[0], .. lines[301..]]);
        var v1 = await TrainAsync("versions/january.csv", january);
        var v2 = await TrainAsync("versions/february.csv", february);
        // The gate decided whether february's rows made a better model; an operator makes v2 live either way.
        Assert.Equal(HttpStatusCode.OK, (await Client.Http.PostAsync($"api/models/versions/versions/{v2}/promote", null)).StatusCode);
        Assert.Equal(v2, (await Client.ChampionAsync("versions"))?.Version);

        var promoted = await Client.Http.PostAsync($"api/models/versions/versions/{v1}/promote", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(v1, (await Client.ChampionAsync("versions"))?.Version);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.PostAsync("api/models/versions/versions/no-such/promote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.Http.PostAsync($"api/models/versions/rollback?champion={v2}", null)).StatusCode);

        // Two operators who both see v1 live roll it back at once: one wins, the other is told the champion changed.
        var rollbacks = await Task.WhenAll(
            Client.Http.PostAsync($"api/models/versions/rollback?champion={v1}", null), Client.Http.PostAsync($"api/models/versions/rollback?champion={v1}", null));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], rollbacks.Select(r => r.StatusCode).Order());
        Assert.Equal(v2, (await Client.ChampionAsync("versions"))?.Version);
        // Rolling back again goes further back, to the first champion, not to the promotion just undone.
        Assert.Equal(HttpStatusCode.OK, (await Client.Http.PostAsync("api/models/versions/rollback", null)).StatusCode);
        Assert.Equal(v1, (await Client.ChampionAsync("versions"))?.Version);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.Http.PostAsync("api/models/versions/rollback", null)).StatusCode);

        var package = await Client.Http.GetAsync($"api/models/versions/versions/{v2}/model.zip");
        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        Assert.Equal("application/zip", package.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await package.Content.ReadAsStreamAsync());
        Assert.Contains(zip.Entries, e => e.FullName == "card.json");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.Http.GetAsync("api/models/versions/versions/no-such/model.zip")).StatusCode);
        File.Delete(january);
        File.Delete(february);
    }

    [Theory]
    [InlineData("loose-file.csv", "not under a dataset folder")]
    [InlineData("My_Data/file.csv", "lowercase letters, digits and '-'")]
    [InlineData("notes/readme.md", "not a .csv, .tsv or .txt file")]
    public async Task An_upload_that_cannot_be_training_data_is_listed_with_the_reason(string blobName, string reason)
    {
        await Client.UploadAsync(blobName, Data("churn-small.csv"), Spec(5));

        var listed = await Eventually.GetAsync(async () =>
        {
            var runs = (await Client.Http.GetFromJsonAsync<JsonElement>("api/runs")).GetProperty("runs").EnumerateArray();
            return runs.Where(r => r.GetProperty("request").GetProperty("blobName").GetString() == blobName)
                .Select(r => r.GetRawText()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), $"a record of {blobName}");
        var record = JsonDocument.Parse(listed).RootElement;

        Assert.Equal("rejected", record.GetProperty("status").GetString());
        Assert.Contains(reason, record.GetProperty("error").GetString());
        var run = await Client.GetRunAsync(record.GetProperty("instanceId").GetString()!);
        Assert.Equal(RunStatus.Rejected, run?.Report?.Status);
    }

    private async Task<string> TrainAsync(string blobName, string file)
    {
        var before = await Client.RunIdsAsync("versions");
        await Client.UploadAsync(blobName, file, Spec(5));
        var runId = await Eventually.GetAsync(async () => (await Client.RunIdsAsync("versions")).Except(before).FirstOrDefault(),
            TimeSpan.FromSeconds(30), $"a run for {blobName}");
        var run = await Client.WaitForRunToEndAsync(runId, RunTimeout);
        output.WriteLine(JsonSerializer.Serialize(run.Report?.PromotionReason));
        Assert.Equal(RunStatus.Succeeded, run.Report?.Status);
        return run.Report!.ModelVersion!;
    }
}
