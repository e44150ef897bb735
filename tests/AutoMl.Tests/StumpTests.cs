using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

/// <summary>Boosted trees may shrink to stumps (2 leaves): an additive model, where the search kept pressing on 4.</summary>
public sealed class StumpTests
{
    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fasttree")]
    public void Boosted_trees_search_down_to_stumps_from_the_same_cheap_start(string learner)
    {
        using var dir = new TempDir();
        var work = dir.File("work");
        var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
        var profile = engine.Prepare(TestFiles.Data("heart-semicolon-bom.csv"), new TrainingSpec { Seed = 1, BudgetSeconds = 60 }, work);

        var leaves = LearnerCatalog.Get(learner).Space(profile).Single(h => h.Name == "numberOfLeaves");
        Assert.Equal((2.0, 4.0), (leaves.Low, leaves.Init));

        var stumps = LearnerCatalog.Get(learner).Portfolio(profile)[0].ToDictionary(p => p.Key, p => p.Key == "numberOfLeaves" ? 2 : p.Value);
        var trial = engine.RunTrial(work, new TrialConfig(1, learner, stumps));
        Assert.Equal(TrialStatus.Succeeded, trial.Status);
        Assert.True(trial.Score > 0.8, $"{learner} stumps AUC {trial.Score}");
    }
}
