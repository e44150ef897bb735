namespace Serverless.AutoMl.Tests;

/// <summary>Counts the process's full collections, so nothing else may run beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

[Collection(AloneCollection.Name)]
public sealed class ForcedCollectionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forced-gc-").FullName;

    [Fact]
    public void Tree_learners_fit_every_fold_without_forcing_a_full_collection()
    {
        var csv = Path.Combine(_folder, "data.csv");
        File.WriteAllLines(csv, ["x,z,y", .. Enumerable.Range(0, 300).Select(i => $"{i},{i % 7},{(i * 7 % 11 > 5 ? 1 : 0)}")]);
        var engine = new AutoMlEngine();
        var profile = engine.Prepare(csv, new TrainingSpec { Label = "y", BudgetSeconds = 60 }, _folder);

        var before = GC.CollectionCount(2);
        var trials = new[] { "fasttree", "fastforest" }
            .Select((learner, i) => engine.RunTrial(_folder, new TrialConfig(i + 1, learner, new Dictionary<string, double>())))
            .ToList();
        var collections = GC.CollectionCount(2) - before;

        Assert.All(trials, t => Assert.Equal(TrialStatus.Succeeded, t.Status));
        // ML.NET's own setting forces three per fold: 30 here.
        Assert.True(collections < profile.Folds, $"{collections} full collections in {2 * profile.Folds} fits");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
