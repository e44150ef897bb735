using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TrainingSpecResolverTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Metadata_beats_the_sidecar_which_beats_the_settings()
    {
        await BlobJson.WriteAsync(azurite.Containers.Datasets.GetBlobClient("layered/automl.json"),
            new TrainingSpec { Label = "from-sidecar", Metric = "f1", BudgetSeconds = 30 });
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:BudgetSeconds", "90"), ("AutoMl:ParallelTrials", "3")));

        var spec = await resolver.ResolveAsync("layered", new Dictionary<string, string> { ["Label"] = "from-metadata", ["task"] = "Binary" });

        Assert.Equal("from-metadata", spec.Label);
        Assert.Equal(MlTask.Binary, spec.Task);
        Assert.Equal("f1", spec.Metric);
        Assert.Equal(30, spec.BudgetSeconds);
        Assert.Equal(3, spec.ParallelTrials);
    }

    [Fact]
    public async Task Without_metadata_or_sidecar_the_settings_and_engine_defaults_apply()
    {
        var spec = await new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:BudgetSeconds", "45"), ("AutoMl:Metric", "f1")))
            .ResolveAsync("plain", new Dictionary<string, string>());
        Assert.Equal(new TrainingSpec { BudgetSeconds = 45, Metric = "f1" }, spec);
    }

    [Fact]
    public async Task Empty_settings_as_in_the_sample_file_mean_unset()
    {
        var spec = await new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:Metric", ""), ("AutoMl:BudgetSeconds", "")))
            .ResolveAsync("empty-settings", new Dictionary<string, string>());
        Assert.Equal(new TrainingSpec(), spec);
    }

    [Theory]
    [InlineData("task", "clustering", "binary, multiclass, regression")]
    [InlineData("task", "1", "binary, multiclass, regression")]
    [InlineData("budgetseconds", "soon", "positive whole number")]
    [InlineData("seed", "-4", "positive whole number")]
    public async Task Bad_metadata_is_a_readable_error(string key, string value, string expected)
    {
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration());
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() => resolver.ResolveAsync("bad", new Dictionary<string, string> { [key] = value }));
        Assert.Contains(expected, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Theory]
    [InlineData("{ label: ", "not a valid spec")]
    [InlineData("null", "not a valid spec")]
    [InlineData("[1, 2]", "not a valid spec")]
    [InlineData("""{"budgetSeconds": "abc"}""", "not a valid spec")]
    [InlineData("""{"budgetSeconds": -5}""", "budgetSeconds=-5 is outside 5..86400")]
    [InlineData("""{"budgetSeconds": 2147483647}""", "is outside 5..86400")]
    [InlineData("""{"parallelTrials": 1000}""", "parallelTrials=1000 is outside 1..64")]
    [InlineData("""{"label": " "}""", "label is empty")]
    public async Task A_bad_sidecar_is_a_readable_error(string content, string expected)
    {
        await azurite.Containers.Datasets.GetBlobClient("broken-spec/automl.json").UploadAsync(BinaryData.FromString(content), overwrite: true);
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration());
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() => resolver.ResolveAsync("broken-spec", new Dictionary<string, string>()));
        Assert.Contains("automl.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("budgetseconds", "3", "outside 5..86400")]
    [InlineData("paralleltrials", "1000", "outside 1..64")]
    public async Task Metadata_out_of_bounds_is_a_readable_error(string key, string value, string expected)
    {
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration());
        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() => resolver.ResolveAsync("bounds", new Dictionary<string, string> { [key] = value }));
        Assert.StartsWith("Blob metadata", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
