using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Tests.Shared;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

public sealed class RecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_host_killed_mid_run_finishes_the_run_after_restart_with_exactly_one_champion()
    {
        using var azurite = await AzuriteProcess.StartAsync();
        var workDirectory = Directory.CreateTempSubdirectory("e2e-recovery-").FullName;
        var settings = new HostSettings(azurite.ConnectionString, "recovery", workDirectory);
        var first = await LocalHostProcess.StartAsync(settings);
        var client = new PipelineClient(azurite.ConnectionString, first.BaseAddress);

        await client.UploadAsync("crash/customers.csv", Path.Combine(AppContext.BaseDirectory, "data", "churn-small.csv"),
            new Dictionary<string, string> { ["label"] = "churn", ["budgetseconds"] = "20" });
        var runId = await client.WaitForSingleRunAsync("crash", TimeSpan.FromSeconds(30));
        await Eventually.GetAsync(async () => await client.GetRunAsync(runId) is { Progress.TrialsDone: > 0 } state ? state : null,
            TimeSpan.FromMinutes(2), "the first round of trials");

        first.Kill();
        output.WriteLine("--- first host (killed) ---\n" + first.Output);
        first.Dispose();

        using var second = await LocalHostProcess.StartAsync(settings);
        client = new PipelineClient(azurite.ConnectionString, second.BaseAddress);
        var run = await client.WaitForRunToEndAsync(runId, TimeSpan.FromMinutes(4));
        output.WriteLine(JsonSerializer.Serialize(run, BlobJson.Options));

        Assert.Equal(RunStatus.Succeeded, run.Report?.Status);
        Assert.Equal([runId], await client.RunIdsAsync("crash"));
        var champion = await client.ChampionAsync("crash");
        Assert.Equal(run.Report!.ModelVersion, champion?.Version);
        var versions = (await client.ModelsAsync("crash")).GetProperty("versions");
        Assert.Equal(1, versions.GetArrayLength());

        // The restarted host serves the model, then shuts down cleanly on SIGTERM.
        var answer = await client.Http.PostAsJsonAsync("api/chain/crash/invoke", new { input = new { tenure = 5 } });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(0, second.Terminate(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("Unhandled exception", second.Output);
        Directory.Delete(workDirectory, recursive: true);
    }

    [Fact]
    public async Task While_storage_is_down_the_api_and_the_chain_answer_503_with_retry_after()
    {
        var azurite = await AzuriteProcess.StartAsync();
        var workDirectory = Directory.CreateTempSubdirectory("e2e-outage-").FullName;
        using var host = await LocalHostProcess.StartAsync(new HostSettings(azurite.ConnectionString, "outage", workDirectory));
        var client = new PipelineClient(azurite.ConnectionString, host.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("api/runs")).StatusCode);

        azurite.Dispose();

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => client.Http.GetAsync("api/runs"),
            () => client.Http.GetAsync("api/models/some-dataset"),
            () => client.Http.GetAsync("api/datasets"),
            () => client.Http.PostAsJsonAsync("api/chain/some-dataset/invoke", new { input = new { x = 1 } }),
        })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await request();
            output.WriteLine($"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        Assert.False(host.HasExited);
        Directory.Delete(workDirectory, recursive: true);
    }
}
