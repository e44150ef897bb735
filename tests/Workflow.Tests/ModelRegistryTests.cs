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

    private Task<DeployOutcome> Deploy(string dataset, string version, string dataHash, double auc, DateTimeOffset dataTime,
        CompareOnUnseenRows? unseen = null) =>
        _registry.DeployAsync(dataset, version, _modelFile, Card(dataHash, auc), dataTime, unseen ?? UnseenRows.None);

    /// <summary>The gate must decide without comparing rows.</summary>
    private static readonly CompareOnUnseenRows NotCompared = (_, _) => throw new InvalidOperationException("rows were compared");

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
    public async Task Newer_data_with_nothing_to_compare_on_replaces_the_champion_and_older_data_never_does()
    {
        await Deploy("ordering", "v1", "md5:a", 0.9, Monday);
        var newer = await Deploy("ordering", "v2", "md5:b", 0.7, Monday.AddDays(1));
        var late = await Deploy("ordering", "v0", "md5:old", 0.99, Monday.AddDays(-1), NotCompared);

        Assert.True(newer.Promoted);
        Assert.StartsWith("no row the champion v1 never saw has an out-of-fold prediction", newer.Reason);
        Assert.False(late.Promoted);
        Assert.Contains("newer data", late.Reason);
        var champion = (await _registry.GetChampionAsync("ordering"))!.Value.Pointer;
        Assert.Equal("v2", champion.Version);
        Assert.Equal("v1", champion.PreviousVersion);
    }

    [Fact]
    public async Task On_the_champions_own_files_only_a_better_cv_score_wins_and_no_rows_are_compared()
    {
        await Deploy("gate", "v1", "files:ab", 0.85, Monday);
        var worse = await Deploy("gate", "v2", "files:ab", 0.80, Monday, NotCompared);
        var better = await Deploy("gate", "v3", "files:ab", 0.88, Monday, NotCompared);

        Assert.False(worse.Promoted);
        Assert.Equal("champion v1 scores better on the same data (auc 0.85 vs 0.8)", worse.Reason);
        Assert.True(better.Promoted);
        Assert.Equal("better score on the same data (auc 0.88 vs 0.85)", better.Reason);
        Assert.Equal("v3", (await _registry.GetChampionAsync("gate"))!.Value.Pointer.Version);
    }

    [Fact]
    public async Task On_new_files_the_challenger_must_match_the_champion_on_the_rows_the_champion_never_saw()
    {
        await Deploy("unseen", "v1", "md5:a", 0.90, Monday);
        var better = await Deploy("unseen", "v2", "files:ab", 0.70, Monday.AddDays(1), UnseenRows.Scored(0.84, 0.81));
        ChampionPointer? compared = null;
        var worse = await Deploy("unseen", "v3", "files:abc", 0.95, Monday.AddDays(2), (champion, ct) =>
        {
            compared = champion;
            return UnseenRows.Scored(0.78, 0.80, rows: 120)(champion, ct);
        });
        var tie = await Deploy("unseen", "v4", "files:abcd", 0.60, Monday.AddDays(3), UnseenRows.Scored(0.80, 0.80));

        Assert.True(better.Promoted);
        Assert.Equal("challenger auc 0.84 vs champion 0.81 on 250 rows the champion never saw", better.Reason);
        Assert.Equal("v2", compared?.Version);
        Assert.False(worse.Promoted);
        Assert.Equal("champion v2 stays: challenger auc 0.78 vs champion 0.8 on 120 rows the champion never saw", worse.Reason);
        Assert.True(tie.Promoted);
        var champion = (await _registry.GetChampionAsync("unseen"))!.Value.Pointer;
        Assert.Equal(("v4", "v2"), (champion.Version, champion.PreviousVersion));
    }

    [Fact]
    public async Task A_challenger_optimizing_another_metric_wins_without_a_comparison()
    {
        await Deploy("metric", "v1", "md5:a", 0.9, Monday);
        var card = Card("md5:b", 0.7) with { Metric = "f1" };

        var outcome = await _registry.DeployAsync("metric", "v2", _modelFile, card, Monday.AddDays(1), NotCompared);

        Assert.True(outcome.Promoted);
        Assert.Contains("do not compare", outcome.Reason);
    }

    [Fact]
    public async Task The_champion_pointer_names_the_files_its_version_saw()
    {
        static SourceFile File(string name, string hash) => new() { Name = name, ETag = "\"1\"", Bytes = 10, ContentHash = hash, LastModified = Monday };
        await _registry.DeployAsync("files", "v1", _modelFile,
            Card("files:ab", 0.8) with { SourceFiles = [File("a.csv", "md5:a"), File("b.csv", "md5:b")] }, Monday, NotCompared);

        var champion = (await _registry.GetChampionAsync("files"))!.Value.Pointer;

        Assert.Equal(["a.csv", "b.csv"], champion.SourceFiles.Select(f => f.Name));
        Assert.True(champion.Saw("md5:b"));
        Assert.False(champion.Saw("md5:c"));
        // A version from before several files saw the one file whose content is its data.
        Assert.True((champion with { SourceFiles = [], DataHash = "md5:old" }).Saw("md5:old"));
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
