using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Retraining;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Serving;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Tests;

/// <summary>A forecaster as a champion: the registry's gate by backtest MASE, serving it, retraining its dataset.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ForecastChampionTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("forecast-champion-").FullName;

    private static ModelCard Card(double mase, string dataHash) => new()
    {
        Schema = new ModelSchema { Label = "y", Task = MlTask.Forecast, Columns = [] },
        Metric = MetricCatalog.Default(MlTask.Forecast), CvScore = mase, Learner = "ets", DataHash = dataHash,
    };

    /// <summary>A real forecaster package: five years of a monthly seasonal series, the seasonal naive fitted on it.</summary>
    private string Forecaster()
    {
        var csv = Path.Combine(_folder, "monthly.csv");
        File.WriteAllLines(csv, ["when,y", .. Enumerable.Range(0, 60).Select(m =>
            $"{new DateTime(2020, 1, 1).AddMonths(m):yyyy-MM-dd},{(100 + m + 10 * Math.Sin(m * Math.PI / 6)).ToString(CultureInfo.InvariantCulture)}")]);
        var work = Path.Combine(_folder, "work");
        var engine = new ForecastEngine();
        engine.Prepare(csv, new ForecastSpec { Horizon = 6 }, work);
        var package = Path.Combine(_folder, "forecaster.zip");
        engine.Finish(work, [engine.RunCandidate(work, new ForecastCandidate(1, new SeasonalNaiveMethod(12)))], package);
        return package;
    }

    [Fact]
    public async Task On_the_same_data_the_lower_backtest_mase_wins_and_newer_data_wins_otherwise()
    {
        var registry = new ModelRegistry(azurite.Containers, TimeProvider.System);
        var package = Forecaster();
        Assert.True((await registry.DeployAsync("gate-forecast", "v1", package, Card(0.6, "md5:a"), Monday, UnseenRows.None)).Promoted);

        var worse = await registry.DeployAsync("gate-forecast", "v2", package, Card(0.7, "md5:a"), Monday, UnseenRows.None);
        var better = await registry.DeployAsync("gate-forecast", "v3", package, Card(0.5, "md5:a"), Monday, UnseenRows.None);
        var newer = await registry.DeployAsync("gate-forecast", "v4", package, Card(0.9, "md5:b"), Monday.AddDays(1), UnseenRows.None);

        Assert.False(worse.Promoted);
        Assert.Contains("scores better on the same data", worse.Reason);
        Assert.True(better.Promoted);
        Assert.StartsWith("better score on the same data (mase 0.5 vs 0.6)", better.Reason);
        Assert.True(newer.Promoted, newer.Reason);
    }

    [Fact]
    public async Task A_forecaster_champion_is_served_as_a_forecaster_that_forecasts_from_its_data_end()
    {
        var registry = new ModelRegistry(azurite.Containers, TimeProvider.System);
        await registry.DeployAsync("served-forecast", "v1", Forecaster(), Card(0.6, "md5:a"), Monday, UnseenRows.None);
        await using var source = new ChampionModelSource(registry, azurite.Datasets, azurite.Runs, NullLogger<ChampionModelSource>.Instance);

        var found = Assert.IsType<ModelLookup.ForecasterFound>(await source.GetAsync("served-forecast", default));

        Assert.Equal("v1", found.Forecaster.Version);
        var forecast = found.Forecaster.Forecaster.Forecast(3);
        Assert.Equal([new DateTime(2025, 1, 1), new DateTime(2025, 2, 1), new DateTime(2025, 3, 1)], forecast.Points.Select(p => p.Timestamp));
    }

    [Fact]
    public async Task The_retrain_timer_retrains_a_forecast_dataset_whose_data_changed_as_a_forecast()
    {
        var registry = new ModelRegistry(azurite.Containers, TimeProvider.System);
        await BlobJson.WriteAsync(azurite.Datasets.Sidecar("stale-forecast"), new TrainingSpec { Task = MlTask.Forecast, Horizon = 6 });
        var blob = azurite.Containers.Datasets.GetBlobClient("stale-forecast/monthly.csv");
        await blob.UploadAsync(BinaryData.FromString("when,y\n2020-01-01,1\n"), overwrite: true);
        var first = (await blob.GetPropertiesAsync()).Value;
        await registry.DeployAsync("stale-forecast", "v1", Forecaster(), Card(0.6, DatasetStore.DataHash([DatasetStore.KnownContentHash(first.ContentHash)!])), first.LastModified, UnseenRows.None);
        await blob.UploadAsync(BinaryData.FromString("when,y\n2020-01-01,1\n2020-02-01,2\n"), overwrite: true);

        var runs = new SchedulingRuns();
        await new RetrainPlanner(azurite.Datasets, registry, azurite.Starter(), azurite.Runs, TimeProvider.System, NullLogger<RetrainPlanner>.Instance)
            .RetrainStaleAsync(runs);

        var started = Assert.Single(runs.Scheduled.Values, r => r.Dataset == "stale-forecast");
        Assert.Equal((MlTask.Forecast, 6, RunReason.Retrain), (started.Spec.Task, started.Spec.Horizon, started.Reason));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
