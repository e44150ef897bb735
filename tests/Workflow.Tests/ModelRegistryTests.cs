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
    public async Task Rollback_goes_back_one_champion_at_a_time_and_never_toggles()
    {
        Assert.IsType<ChampionChange.NoModels>(await _registry.RollbackAsync("rollback"));
        await Deploy("rollback", "v1", "md5:a", 0.80, Monday);
        Assert.IsType<ChampionChange.NothingToRollBackTo>(await _registry.RollbackAsync("rollback"));
        await Deploy("rollback", "v2", "md5:b", 0.70, Monday.AddDays(1));
        await Deploy("rollback", "v3", "md5:c", 0.75, Monday.AddDays(2));

        var first = Assert.IsType<ChampionChange.Changed>(await _registry.RollbackAsync("rollback"));

        Assert.Equal("v2", first.Champion.Version);
        var champion = (await _registry.GetChampionAsync("rollback"))!.Value.Pointer;
        Assert.Equal(("v2", "rollback/versions/v2/model.zip", "md5:b", 0.70, "v1"),
            (champion.Version, champion.ModelBlob, champion.DataHash, champion.CvScore, champion.PreviousVersion));
        // A run on data older than what the champion replaced still cannot take over.
        Assert.False((await Deploy("rollback", "v0", "md5:old", 0.99, Monday.AddDays(-1))).Promoted);
        // Rolling back again goes further back, not to the version just rolled back.
        Assert.Equal("v1", Assert.IsType<ChampionChange.Changed>(await _registry.RollbackAsync("rollback")).Champion.Version);
        Assert.IsType<ChampionChange.NothingToRollBackTo>(await _registry.RollbackAsync("rollback"));
    }

    [Fact]
    public async Task Of_concurrent_rollbacks_of_the_same_champion_one_wins_and_the_others_are_told_it_changed()
    {
        foreach (var (version, day) in new[] { ("v1", 0), ("v2", 1), ("v3", 2), ("v4", 3) })
            await Deploy("rollback-race", version, "md5:" + version, 0.8, Monday.AddDays(day));

        // Six operators who all saw v4 live ask to roll it back; however the requests interleave, v4 is rolled back once.
        var changes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _registry.RollbackAsync("rollback-race", expectedChampion: "v4")));

        var changed = Assert.Single(changes.OfType<ChampionChange.Changed>());
        Assert.Equal("v3", changed.Champion.Version);
        Assert.All(changes.Where(c => c != changed), c => Assert.IsType<ChampionChange.Conflict>(c));
        Assert.Equal("v3", (await _registry.GetChampionAsync("rollback-race"))!.Value.Pointer.Version);
    }

    [Fact]
    public async Task A_change_asked_against_a_champion_that_is_no_longer_live_is_refused()
    {
        await Deploy("expected", "v1", "md5:a", 0.8, Monday);
        await Deploy("expected", "v2", "md5:b", 0.8, Monday.AddDays(1));

        Assert.IsType<ChampionChange.Conflict>(await _registry.RollbackAsync("expected", expectedChampion: "v1"));
        Assert.IsType<ChampionChange.Changed>(await _registry.RollbackAsync("expected", expectedChampion: "v2"));
    }

    [Fact]
    public async Task Any_version_can_be_promoted_and_a_rollback_undoes_the_promotion()
    {
        await Deploy("promote", "v1", "md5:a", 0.8, Monday);
        await Deploy("promote", "v2", "md5:b", 0.8, Monday.AddDays(1));
        await Deploy("promote", "v3", "md5:c", 0.8, Monday.AddDays(2));

        Assert.IsType<ChampionChange.UnknownVersion>(await _registry.PromoteAsync("promote", "v9"));
        var promoted = Assert.IsType<ChampionChange.Changed>(await _registry.PromoteAsync("promote", "v1"));

        Assert.Equal(("v1", "v3"), (promoted.Champion.Version, promoted.Champion.PreviousVersion));
        Assert.Equal(Monday.AddDays(2), promoted.Champion.DataLastModified);
        Assert.Equal("v3", Assert.IsType<ChampionChange.Changed>(await _registry.RollbackAsync("promote")).Champion.Version);
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
