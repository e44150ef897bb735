using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

public sealed class SelectionTests
{
    private const int Rows = 200;

    private static DatasetProfile Profile()
    {
        using var dir = new TempDir();
        return new AutoMlEngine().Prepare(TestFiles.Data("heart-semicolon-bom.csv"), new TrainingSpec { Seed = 1, BudgetSeconds = 60 }, dir.Path);
    }

    /// <summary>Pairs of rows share a label, so both halves (even and odd rows) hold both classes.</summary>
    private static double[] Labels() => [.. Enumerable.Range(0, Rows).Select(r => (double)(r / 2 % 2))];

    private static Candidate Trial(int id, IReadOnlyDictionary<string, double> hp, Func<int, bool> right)
    {
        var labels = Labels();
        return new Candidate(
            new TrialResult { TrialId = id, Learner = "lightgbm", Params = hp, Status = TrialStatus.Succeeded, Score = 0.5, Seconds = 1 },
            [.. Enumerable.Range(0, Rows).Select(r => right(r) ? labels[r] : 1 - labels[r])]);
    }

    [Fact]
    public void A_search_trial_that_is_right_only_on_the_rows_that_chose_it_gives_way_to_the_best_default()
    {
        var profile = Profile();
        var tuned = LearnerCatalog.Get("lightgbm").Portfolio(profile)[0];
        var lucky = Trial(1, tuned, r => r % 2 == 0);
        var mirror = Trial(2, tuned, r => r % 2 == 1);
        var proven = Trial(3, LearnerCatalog.Get("lightgbm").Defaults(profile)[0], r => r % 5 != 0);

        var (choice, scores) = CrossFittedChoice.Choose(profile, Labels(), [lucky, mirror, proven], ensembleSize: 15);

        Assert.Equal(Selection.BestDefault, choice);
        Assert.True(scores[Selection.BestDefault] > scores[Selection.BestTrial]);
    }

    [Fact]
    public void Models_that_err_on_different_rows_are_ensembled()
    {
        var profile = Profile();
        var hp = LearnerCatalog.Get("lightgbm").Portfolio(profile)[0];
        var first = Trial(1, hp, r => r % 8 >= 2);
        var second = Trial(2, hp, r => r % 8 is < 4 or >= 6);

        var (choice, scores) = CrossFittedChoice.Choose(profile, Labels(), [first, second], ensembleSize: 15);

        Assert.Equal(Selection.Ensemble, choice);
        Assert.True(scores[Selection.Ensemble] > scores[Selection.BestTrial]);
        Assert.False(scores.ContainsKey(Selection.BestDefault));
    }
}
