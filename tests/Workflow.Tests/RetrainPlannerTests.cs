using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RetrainPlannerTests(AzuriteFixture azurite)
{
    private RetrainPlanner Planner(ModelRegistry registry) =>
        new(azurite.Datasets, registry, azurite.Starter(), azurite.Runs, TimeProvider.System, NullLogger<RetrainPlanner>.Instance);

    private async Task<BlobProperties> Upload(string name, string content)
    {
        var blob = azurite.Containers.Datasets.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(content), overwrite: true);
        return (await blob.GetPropertiesAsync()).Value;
    }

    private async Task DeployChampionFor(ModelRegistry registry, string dataset, BlobProperties data)
    {
        var model = Path.GetTempFileName();
        var card = new ModelCard
        {
            Schema = new ModelSchema { Label = "y", Task = MlTask.Regression, Columns = [] },
            Metric = "rmse", CvScore = 1, Learner = "lightgbm",
            DataHash = DatasetStore.KnownContentHash(data.ContentHash),
        };
        await registry.DeployAsync(dataset, "v1", model, card, data.LastModified, UnseenRows.None);
    }

    [Fact]
    public async Task Only_datasets_whose_newest_data_differs_from_the_champion_are_retrained()
    {
        var registry = new ModelRegistry(azurite.Containers, TimeProvider.System);
        var fresh = await Upload("retrain-fresh/data.csv", "x,y\n1,2\n");
        await DeployChampionFor(registry, "retrain-fresh", fresh);
        var stale = await Upload("retrain-stale/data.csv", "x,y\n1,2\n");
        await DeployChampionFor(registry, "retrain-stale", stale);
        await Upload("retrain-stale/data.csv", "x,y\n1,2\n3,4\n");
        await Upload("retrain-new/data.csv", "x,y\n5,6\n");
        await Upload("retrain-new/automl.json", "{}");

        var runs = new SchedulingRuns();
        var decisions = (await Planner(registry).RetrainStaleAsync(runs)).Where(d => d.Dataset.StartsWith("retrain-", StringComparison.Ordinal)).ToList();

        var started = runs.Scheduled.Values.Where(r => r.Dataset.StartsWith("retrain-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["retrain-new", "retrain-stale"], started.Select(r => r.Dataset).Order());
        Assert.All(started, r => Assert.Equal(RunReason.Retrain, r.Reason));
        Assert.All(started, r => Assert.EndsWith("data.csv", r.BlobName));
        var skipped = Assert.Single(decisions, d => d.Action == RetrainAction.Skipped);
        Assert.Equal("retrain-fresh", skipped.Dataset);
        Assert.Contains("was trained on data.csv as they are now", skipped.Reason);

        // A second pass (another host's timer, say) starts nothing again, and says so.
        var again = await Planner(registry).RetrainStaleAsync(runs);
        Assert.Equal(2, started.Count);
        Assert.All(again.Where(d => d.Dataset is "retrain-new" or "retrain-stale"), d => Assert.Equal(RetrainAction.Exists, d.Action));
        var recorded = await BlobJson.ReadAsync<JsonElement>(azurite.Containers.Runs.GetBlobClient("_retrain/last.json"));
        Assert.Contains(recorded!.Value.Value.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("action").GetString() == "exists");
    }
}
