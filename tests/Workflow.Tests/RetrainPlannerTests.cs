using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RetrainPlannerTests(AzuriteFixture azurite)
{
    /// <summary>Records what would be scheduled; the real durable clients are exercised by the end-to-end tests.</summary>
    private sealed class RecordingRuns : ITrainingRuns
    {
        public List<TrainingRequest> Started { get; } = [];
        public Task<bool> StartAsync(string instanceId, TrainingRequest request, CancellationToken ct = default)
        {
            Started.Add(request);
            return Task.FromResult(true);
        }
        public Task<RunState?> GetAsync(string instanceId, CancellationToken ct = default) => Task.FromResult<RunState?>(null);
        public Task TerminateAsync(string instanceId, string reason, CancellationToken ct = default) => Task.CompletedTask;
    }

    private RetrainPlanner Planner(ModelRegistry registry) => new(azurite.Datasets, registry,
        new RunStarter(azurite.Datasets, azurite.Runs, new TrainingSpecResolver(azurite.Datasets, azurite.Configuration()), NullLogger<RunStarter>.Instance),
        NullLogger<RetrainPlanner>.Instance);

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
            DataHash = DatasetStore.DataHash(data.ContentHash, data.ETag.ToString()),
        };
        await registry.DeployAsync(dataset, "v1", model, card, data.LastModified);
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

        var runs = new RecordingRuns();
        await Planner(registry).RetrainStaleAsync(runs);

        var started = runs.Started.Where(r => r.Dataset.StartsWith("retrain-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["retrain-new", "retrain-stale"], started.Select(r => r.Dataset).Order());
        Assert.All(started, r => Assert.Equal(RunReason.Retrain, r.Reason));
        Assert.All(started, r => Assert.EndsWith("data.csv", r.BlobName));
    }
}
