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

        var spec = (await resolver.ResolveAsync("layered", new Dictionary<string, string> { ["Label"] = "from-metadata", ["task"] = "Binary" })).Training;

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
        Assert.Equal(new DatasetSpec { Training = new TrainingSpec { BudgetSeconds = 45, Metric = "f1" }, DataFiles = DataFiles.Append }, spec);
    }

    [Fact]
    public async Task Empty_settings_as_in_the_sample_file_mean_unset()
    {
        var spec = await new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:Metric", ""), ("AutoMl:BudgetSeconds", "")))
            .ResolveAsync("empty-settings", new Dictionary<string, string>());
        Assert.Equal(new DatasetSpec { DataFiles = DataFiles.Append }, spec);
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

    [Fact]
    public async Task Which_files_form_the_data_comes_from_metadata_then_the_sidecar_then_the_settings()
    {
        await azurite.Containers.Datasets.GetBlobClient("files-choice/automl.json").UploadAsync(BinaryData.FromString("""{"dataFiles": "replace"}"""), overwrite: true);
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:DataFiles", "Replace")));
        var none = new Dictionary<string, string>();

        Assert.Equal(DataFiles.Replace, (await resolver.ResolveAsync("files-choice", none)).DataFiles);
        Assert.Equal(DataFiles.Append, (await resolver.ResolveAsync("files-choice", SpecMetadata.From(new DatasetSpec { DataFiles = DataFiles.Append }))).DataFiles);
        Assert.Equal(DataFiles.Replace, (await resolver.ResolveAsync("no-sidecar", none)).DataFiles);
        Assert.Equal(DataFiles.Append, (await new TrainingSpecResolver(azurite.Datasets, azurite.Configuration()).ResolveAsync("no-sidecar", none)).DataFiles);
        Assert.Equal(new DatasetSpec { DataFiles = DataFiles.Replace }, await resolver.ReadSidecarAsync("files-choice"));
        Assert.Equal(new Dictionary<string, string> { ["label"] = "y", ["datafiles"] = "replace" },
            SpecMetadata.From(new DatasetSpec { Training = new TrainingSpec { Label = "y" }, DataFiles = DataFiles.Replace }));
    }

    [Fact]
    public async Task A_bad_data_files_choice_is_a_readable_error_wherever_it_is_made()
    {
        var resolver = new TrainingSpecResolver(azurite.Datasets, azurite.Configuration());
        var metadata = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            resolver.ResolveAsync("files-bad", new Dictionary<string, string> { ["datafiles"] = "merge" }));
        Assert.Equal("Blob metadata datafiles='merge' is not one of append, replace.", metadata.Message);

        var settings = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            new TrainingSpecResolver(azurite.Datasets, azurite.Configuration(("AutoMl:DataFiles", "1"))).ResolveAsync("files-bad", new Dictionary<string, string>()));
        Assert.Equal("App setting AutoMl__DataFiles='1' is not one of append, replace.", settings.Message);

        await azurite.Containers.Datasets.GetBlobClient("files-bad/automl.json").UploadAsync(BinaryData.FromString("""{"dataFiles": "merge"}"""), overwrite: true);
        var sidecar = await Assert.ThrowsAsync<InvalidDatasetException>(() => resolver.ResolveAsync("files-bad", new Dictionary<string, string>()));
        Assert.StartsWith("datasets/files-bad/automl.json is not a valid spec", sidecar.Message);
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
