using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Tests;

/// <summary>task=forecast and its settings, wherever a spec comes from: blob metadata (and the API's query), the sidecar.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ForecastSpecTests(AzuriteFixture azurite)
{
    private TrainingSpecResolver Resolver() => new(azurite.Datasets, azurite.Configuration());

    [Fact]
    public async Task Metadata_asks_for_a_forecast_with_its_time_column_horizon_series_and_known_columns()
    {
        var spec = (await Resolver().ResolveAsync("monthly", new Dictionary<string, string>
        {
            ["task"] = "forecast", ["label"] = "sales", ["timecolumn"] = "month", ["Horizon"] = "6", ["seriescolumn"] = "store",
            ["knowncolumns"] = "promo, holiday,", ["budgetseconds"] = "15",
        })).Training;

        Assert.Equal(MlTask.Forecast, spec.Task);
        Assert.Equal(6, spec.Horizon);
        Assert.Equal(["promo", "holiday"], spec.KnownColumns);
        var forecast = ForecastSpec.From(spec);
        Assert.Equal(("month", "sales", 6, "store", 15), (forecast.TimeColumn, forecast.Target, forecast.Horizon, forecast.SeriesColumn, forecast.BudgetSeconds));
        Assert.Equal(["promo", "holiday"], forecast.KnownColumns);
    }

    [Fact]
    public void A_forecast_spec_goes_to_metadata_and_back_unchanged()
    {
        var spec = new TrainingSpec
        {
            Task = MlTask.Forecast, Label = "y", TimeColumn = "when", Horizon = 12, SeriesColumn = "id", KnownColumns = ["a", "b"], BudgetSeconds = 30,
        };
        var metadata = SpecMetadata.From(new DatasetSpec { Training = spec });

        Assert.Equal("forecast", metadata["task"]);
        Assert.Equal("a,b", metadata["knowncolumns"]);
        var read = SpecMetadata.Read(metadata).Training;
        Assert.Equal(spec with { KnownColumns = null }, read with { KnownColumns = null });
        Assert.Equal(spec.KnownColumns, read.KnownColumns);
    }

    [Fact]
    public async Task The_sidecar_asks_for_a_forecast_and_metadata_adds_the_horizon()
    {
        await BlobJson.WriteAsync(azurite.Containers.Datasets.GetBlobClient("sidecar-forecast/automl.json"),
            new TrainingSpec { Task = MlTask.Forecast, KnownColumns = ["promo"] });

        var spec = (await Resolver().ResolveAsync("sidecar-forecast", new Dictionary<string, string> { ["horizon"] = "3" })).Training;

        Assert.Equal(MlTask.Forecast, spec.Task);
        Assert.Equal(3, spec.Horizon);
        Assert.Equal(["promo"], spec.KnownColumns);
    }

    [Theory]
    [InlineData("horizon", "6", "horizon applies only to forecasts")]
    [InlineData("timecolumn", "month", "timecolumn applies only to forecasts")]
    [InlineData("knowncolumns", "promo", "task=forecast (it is never inferred)")]
    public async Task Forecast_settings_without_task_forecast_are_a_readable_error(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            Resolver().ResolveAsync("not-forecast", new Dictionary<string, string> { [key] = value }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Forecast_settings_with_another_task_name_that_task()
    {
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            Resolver().ResolveAsync("regression", new Dictionary<string, string> { ["task"] = "regression", ["horizon"] = "6" }));
        Assert.Contains("this spec's task is regression", error.Message);
    }

    [Theory]
    [InlineData("horizon", "0", "positive whole number")]
    [InlineData("horizon", "six", "positive whole number")]
    [InlineData("horizon", "5000", "horizon=5000 is outside 1..1000 steps")]
    [InlineData("task", "forecasting", "binary, multiclass, regression, forecast")]
    [InlineData("metric", "auc", "The metric 'auc' does not apply to Forecast tasks; use one of: mase")]
    public async Task A_bad_forecast_setting_is_a_readable_error(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            Resolver().ResolveAsync("bad-forecast", new Dictionary<string, string> { ["task"] = "forecast", [key] = value }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_sidecar_with_an_empty_known_column_is_a_readable_error()
    {
        await BlobJson.WriteAsync(azurite.Containers.Datasets.GetBlobClient("empty-known/automl.json"),
            new TrainingSpec { Task = MlTask.Forecast, KnownColumns = ["promo", " "] });

        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() => Resolver().ResolveAsync("empty-known", new Dictionary<string, string>()));
        Assert.Contains("automl.json", error.Message);
        Assert.Contains("is empty", error.Message);
    }
}
