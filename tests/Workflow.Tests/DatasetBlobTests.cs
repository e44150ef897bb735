using Serverless.Workflow.Datasets;

namespace Serverless.Workflow.Tests;

public sealed class DatasetBlobTests
{
    [Theory]
    [InlineData("churn/2024.csv", "churn", "2024.csv")]
    [InlineData("housing-prices/data/part1.tsv", "housing-prices", "data/part1.tsv")]
    [InlineData("x1/FILE.TXT", "x1", "FILE.TXT")]
    public void Training_files_split_into_dataset_and_file(string blob, string dataset, string file)
    {
        Assert.Equal((dataset, file), DatasetBlob.Parse(blob, out var reason));
        Assert.Null(reason);
    }

    [Fact]
    public void The_spec_sidecar_is_not_training_data_and_not_an_error() =>
        Assert.Null(DatasetBlob.Parse("churn/automl.json", out var reason) ?? (object?)reason);

    [Theory]
    [InlineData("loose.csv", "dataset folder")]
    [InlineData("churn/readme.md", ".csv")]
    [InlineData("Churn/data.csv", "lowercase")]
    [InlineData("bad_name/data.csv", "lowercase")]
    [InlineData("sales/../models/x/champion.csv", "plain file name")]
    [InlineData("sales//data.csv", "plain file name")]
    public void Other_blobs_are_ignored_with_a_reason(string blob, string reasonFragment)
    {
        Assert.Null(DatasetBlob.Parse(blob, out var reason));
        Assert.Contains(reasonFragment, reason);
    }
}
