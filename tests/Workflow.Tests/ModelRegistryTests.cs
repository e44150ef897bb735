using Serverless.AutoMl;
using Serverless.Workflow.Registry;

namespace Serverless.Workflow.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ModelRegistryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly ModelRegistry _registry = new(azurite.Containers, TimeProvider.System);
    private readonly string _modelFile = WriteModelFile();

    private static string WriteModelFile()
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, [80, 75, 5, 6]);
        return path;
    }

    private static ModelCard Card(string dataHash, double auc) => new()
    {
        Schema = new ModelSchema { Label = "y", Task = MlTask.Binary, Columns = [new ModelColumn { Name = "x", Kind = ColumnKind.Numeric }] },
        Metric = "auc", CvScore = auc, Learner = "LightGbm", DataHash = dataHash,
    };

    private Task<DeployOutcome> Deploy(string dataset, string version, string dataHash, double auc, DateTimeOffset dataTime) =>
        _registry.DeployAsync(dataset, version, _modelFile, Card(dataHash, auc), dataTime);

    [Fact]
    public async Task The_first_model_becomes_champion_with_its_files_in_the_version_folder()
    {
        var outcome = await Deploy("first", "v1", "md5:a", 0.8, Monday);

        Assert.True(outcome.Promoted);
        var champion = (await _registry.GetChampionAsync("first"))!.Value.Pointer;
        Assert.Equal("v1", champion.Version);
        Assert.Equal("first/versions/v1/model.zip", champion.ModelBlob);
        Assert.True(await azurite.Containers.Models.GetBlobClient("first/versions/v1/card.json").ExistsAsync());
        Assert.Single(await _registry.ListVersionsAsync("first"));
    }

    [Fact]
    public async Task Newer_data_replaces_the_champion_and_older_data_never_does()
    {
        await Deploy("ordering", "v1", "md5:a", 0.9, Monday);
        var newer = await Deploy("ordering", "v2", "md5:b", 0.7, Monday.AddDays(1));
        var late = await Deploy("ordering", "v0", "md5:old", 0.99, Monday.AddDays(-1));

        Assert.True(newer.Promoted);
        Assert.False(late.Promoted);
        Assert.Contains("newer data", late.Reason);
        var champion = (await _registry.GetChampionAsync("ordering"))!.Value.Pointer;
        Assert.Equal("v2", champion.Version);
        Assert.Equal("v1", champion.PreviousVersion);
    }

    [Fact]
    public async Task On_the_same_data_only_a_better_score_wins()
    {
        await Deploy("gate", "v1", "md5:a", 0.85, Monday);
        var worse = await Deploy("gate", "v2", "md5:a", 0.80, Monday);
        var better = await Deploy("gate", "v3", "md5:a", 0.88, Monday);

        Assert.False(worse.Promoted);
        Assert.True(better.Promoted);
        Assert.Equal("v3", (await _registry.GetChampionAsync("gate"))!.Value.Pointer.Version);
    }

    [Fact]
    public async Task Redeploying_the_same_version_is_idempotent()
    {
        await Deploy("again", "v1", "md5:a", 0.8, Monday);
        var again = await Deploy("again", "v1", "md5:a", 0.8, Monday);
        Assert.True(again.Promoted);
        Assert.Null((await _registry.GetChampionAsync("again"))!.Value.Pointer.PreviousVersion);
    }

    [Fact]
    public async Task Concurrent_deployments_leave_the_best_of_them_as_champion()
    {
        var scores = Enumerable.Range(1, 8).Select(i => 0.5 + i * 0.05).ToArray();
        await Task.WhenAll(scores.Select((auc, i) => Deploy("race", $"v{i}", "md5:a", auc, Monday)));
        Assert.Equal($"v{scores.Length - 1}", (await _registry.GetChampionAsync("race"))!.Value.Pointer.Version);
    }

    [Fact]
    public async Task Rollback_restores_the_previous_version_and_rolling_back_again_undoes_it()
    {
        Assert.Null(await _registry.RollbackAsync("rollback"));
        await Deploy("rollback", "v1", "md5:a", 0.80, Monday);
        Assert.Null(await _registry.RollbackAsync("rollback"));
        await Deploy("rollback", "v2", "md5:b", 0.70, Monday.AddDays(1));

        var restored = await _registry.RollbackAsync("rollback");

        Assert.Equal("v1", restored?.Version);
        var champion = (await _registry.GetChampionAsync("rollback"))!.Value.Pointer;
        Assert.Equal(("v1", "rollback/versions/v1/model.zip", "md5:a", 0.80, "v2"),
            (champion.Version, champion.ModelBlob, champion.DataHash, champion.CvScore, champion.PreviousVersion));
        Assert.False((await Deploy("rollback", "v0", "md5:old", 0.99, Monday.AddDays(-1))).Promoted);
        Assert.Equal("v2", (await _registry.RollbackAsync("rollback"))?.Version);
    }

    [Fact]
    public void Versions_sort_by_time_and_differ_per_run()
    {
        var a = ModelRegistry.VersionFor("churn_1", Monday);
        Assert.StartsWith("20261123-090000-", a);
        Assert.NotEqual(a, ModelRegistry.VersionFor("churn_2", Monday));
        Assert.Equal(a, ModelRegistry.VersionFor("churn_1", Monday));
    }
}
