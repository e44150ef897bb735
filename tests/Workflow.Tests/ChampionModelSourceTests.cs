using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.AutoMl;
using Serverless.Chain;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Serving;

namespace Serverless.Workflow.Tests;

/// <summary>The real champion cache over Azurite, with a real (small) trained model, swapped under load.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChampionModelSourceTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("champion-").FullName;

    [Fact]
    public async Task A_new_champion_is_served_to_concurrent_callers_without_a_failed_request()
    {
        var (model, card) = SmallModel.Train(_folder);
        var registry = new ModelRegistry(azurite.Containers, TimeProvider.System);
        await registry.DeployAsync("swap", "v1", model, card with { DataHash = "md5:1" }, Monday, UnseenRows.None);
        await using var source = new ChampionModelSource(registry, azurite.Datasets, azurite.Runs, NullLogger<ChampionModelSource>.Instance);
        var first = Assert.IsType<ModelLookup.Found>(await source.GetAsync("swap", default));
        Assert.Equal("v1", first.Model.Version);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = Enumerable.Range(0, 8).Select(_ => new ConcurrentQueue<string>()).ToArray();
        var callers = seen.Select(versions => Task.Run(async () =>
        {
            var record = new Dictionary<string, string?> { ["x"] = "150", ["z"] = "3" };
            while (!stop.IsCancellationRequested && !versions.Contains("v2"))
            {
                var found = Assert.IsType<ModelLookup.Found>(await source.GetAsync("swap", stop.Token));
                Assert.Equal("1", found.Model.Model.Predict(record).Label);
                versions.Enqueue(found.Model.Version);
            }
        })).ToArray();

        await Task.Delay(200);
        Assert.True((await registry.DeployAsync("swap", "v2", model, card with { DataHash = "md5:2" }, Monday.AddDays(1), UnseenRows.None)).Promoted);
        await Task.WhenAll(callers);

        Assert.All(seen, versions =>
        {
            Assert.Equal("v2", versions.Last());
            // Once a caller has the new champion it never gets the old one back.
            Assert.DoesNotContain("v1", versions.SkipWhile(v => v == "v1"));
        });
    }

    [Fact]
    public async Task Model_copies_left_by_a_host_that_stopped_are_removed_and_a_running_hosts_are_kept()
    {
        var folders = Path.Combine(Path.GetTempPath(), "serverless-models");
        var stopped = Directory.CreateDirectory(Path.Combine(folders, $"{int.MaxValue}-left-behind")).FullName;
        File.WriteAllText(Path.Combine(stopped, "v1.zip"), "model");
        var running = Directory.CreateDirectory(Path.Combine(folders, $"{Environment.ProcessId}-in-use")).FullName;

        await using (new ChampionModelSource(new ModelRegistry(azurite.Containers, TimeProvider.System), azurite.Datasets, azurite.Runs,
            NullLogger<ChampionModelSource>.Instance))
        {
            Assert.False(Directory.Exists(stopped));
            Assert.True(Directory.Exists(running));
        }
        Directory.Delete(running);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
