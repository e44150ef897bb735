using Serverless.AutoMl;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

/// <summary>The data files of a run as PrepareDataset reads them from real storage, with the real engine.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrepareDatasetActivityTests(AzuriteFixture azurite)
{
    private PrepareDatasetActivity Activity() => new(azurite.Datasets, azurite.Workspace(), new AutoMlEngine(),
        new Cluster("tests", Workers: 1, SlotsPerWorker: 2, WorkerMemoryBytes: 1L << 32));

    private static string Rows(string header, Func<int, string> row) =>
        header + "\n" + string.Join("\n", Enumerable.Range(0, 40).Select(row)) + "\n";

    private Task Upload(string name, string content) =>
        azurite.Datasets.Blob(name).UploadAsync(BinaryData.FromString(content), overwrite: true);

    private async Task<TrainingRequest> RequestAsync(string dataset) =>
        (await azurite.Starter().RequestAsync(dataset, RunReason.Upload))! with { Spec = new TrainingSpec { Label = "y", BudgetSeconds = 10 } };

    [Fact]
    public async Task Every_file_of_the_request_is_prepared_as_one_dataset()
    {
        await Upload("prepare-both/first.csv", Rows("x,kind,y", i => $"{i},k{i % 3},{i % 2}"));
        await Upload("prepare-both/second.csv", Rows("Y;Kind;X", i => $"{i % 2};k{i % 4};{i}"));

        var prepared = await Activity().ExecuteAsync(new PrepareInput("prepare-both_" + Guid.NewGuid().ToString("N")[..8], await RequestAsync("prepare-both")));

        Assert.Equal((80, 80), (prepared.Profile.Rows, prepared.Profile.SourceRows));
    }

    [Fact]
    public async Task A_file_whose_columns_differ_fails_naming_the_file_and_the_columns_that_differ()
    {
        await Upload("prepare-schema/first.csv", Rows("x,kind,y", i => $"{i},k{i % 3},{i % 2}"));
        await Upload("prepare-schema/second.csv", Rows("x,other,y", i => $"{i},o{i % 3},{i % 2}"));
        var request = await RequestAsync("prepare-schema");

        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() =>
            Activity().ExecuteAsync(new PrepareInput("prepare-schema_1", request)));

        Assert.Equal("'second.csv' does not have the columns of 'first.csv', so it cannot be trained on with it: "
            + "it lacks 'kind'; it has 'other', which 'first.csv' lacks.", error.Message);
    }

    [Fact]
    public async Task A_file_overwritten_with_other_content_since_the_run_started_is_not_trained_on()
    {
        await Upload("prepare-changed/first.csv", Rows("x,kind,y", i => $"{i},k{i % 3},{i % 2}"));
        var request = await RequestAsync("prepare-changed");
        await Upload("prepare-changed/first.csv", Rows("x,kind,y", i => $"{i + 1},k{i % 3},{i % 2}"));

        var error = await Assert.ThrowsAsync<InvalidDatasetException>(() => Activity().ExecuteAsync(new PrepareInput("prepare-changed_1", request)));

        Assert.Equal("datasets/prepare-changed/first.csv changed before training started; the newer upload trains in its own run.", error.Message);
    }
}
