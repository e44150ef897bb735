using System.Text;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Tests;

/// <summary>A dataset of several files: read as one table, each row knowing its file, and compared on the rows of one file.</summary>
public sealed class SeveralFilesTests
{
    private static string Rows(int count, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, count).Select(row)) + "\n";

    [Fact]
    public void Files_with_the_same_columns_in_any_order_case_and_separator_are_prepared_as_one_dataset()
    {
        using var dir = new TempDir();
        var first = dir.Write("first.csv", "x,kind,y\n" + Rows(60, i => $"{i},{(i % 3 == 0 ? "a" : "b")},{i % 2}"));
        var second = dir.File("second.csv");
        File.WriteAllBytes(second, Encoding.Latin1.GetBytes("Y;X;Kind\n" + Rows(40, i => $"{i % 2};{100 + i};{(i % 2 == 0 ? "é" : "a")}")));
        var work = dir.File("work");

        var profile = new AutoMlEngine().Prepare([first, second], new TrainingSpec { Label = "y", BudgetSeconds = 10 }, work);

        Assert.Equal((100, 100), (profile.Rows, profile.SourceRows));
        Assert.Equal((0, 139), (profile.Schema.Columns.Single(c => c.Name == "x").Min, profile.Schema.Columns.Single(c => c.Name == "x").Max));
        Assert.Equal(["a", "b", "é"], profile.Schema.Columns.Single(c => c.Name == "kind").Values!.Order(StringComparer.Ordinal));
        Assert.Contains(profile.Notes, n => n.Contains("'second.csv' is not UTF-8"));
        var sources = RowSources.Read(WorkDir.SourcesPath(work));
        Assert.Equal(profile.EvaluationRows, sources.Rows);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), sources.Records.Where((_, r) => sources.Files[r] == 1).Order());
        Assert.Equal(60, sources.Files.Count(f => f == 0));
    }

    [Theory]
    [InlineData("x,other,y\n", "lacks 'kind'", "has 'other', which 'first.csv' lacks")]
    [InlineData("x,kind,y,more\n", "has 'more', which 'first.csv' lacks", "'second.csv'")]
    [InlineData("", "has no header row", "lacks 'x', 'kind', 'y'")]
    public void A_file_whose_columns_differ_fails_naming_the_file_and_the_columns(string header, string expected, string alsoExpected)
    {
        using var dir = new TempDir();
        var first = dir.Write("first.csv", "x,kind,y\n" + Rows(30, i => $"{i},k{i % 3},{i % 2}"));
        var second = dir.Write("second.csv", header + Rows(30, i => header.Contains("more") ? $"{i},k,{i % 2},1" : $"{i},{i % 3},{i % 2}"));

        var error = Assert.Throws<InvalidDatasetException>(() =>
            new AutoMlEngine().Prepare([first, second], new TrainingSpec { Label = "y" }, dir.File("work")));

        Assert.StartsWith("'second.csv' does not have the columns of 'first.csv'", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains(alsoExpected, error.Message);
    }

    [Fact]
    public void A_broken_file_among_several_is_named()
    {
        using var dir = new TempDir();
        var first = dir.Write("first.csv", "x,kind,y\n" + Rows(30, i => $"{i},k{i % 3},{i % 2}"));
        var empty = dir.Write("empty.csv", "");

        var error = Assert.Throws<InvalidDatasetException>(() => new AutoMlEngine().Prepare([first, empty], new TrainingSpec(), dir.File("work")));

        Assert.StartsWith("'empty.csv': ", error.Message);
    }

    [Fact]
    public async Task A_champion_and_a_challenger_are_compared_on_the_rows_of_the_file_the_champion_never_saw()
    {
        using var dir = new TempDir();
        var (older, newer) = dir.Split(TestFiles.Data("heart-semicolon-bom.csv"), hasHeader: false, testEvery: 3);
        var spec = new TrainingSpec { BudgetSeconds = 5, ParallelTrials = 2 };
        var engine = new AutoMlEngine();
        var championWork = dir.File("champion");
        var championTrials = await SearchLoop.RunAsync(engine.Prepare(older, spec, championWork),
            new InProcessTrialExecutor(engine, championWork), () => DateTime.UtcNow);
        engine.Finish(championWork, championTrials, dir.File("champion.zip"));
        var work = dir.File("challenger");
        var profile = engine.Prepare([older, newer], spec, work);
        var trials = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, work), () => DateTime.UtcNow);
        var card = engine.Finish(work, trials, dir.File("challenger.zip"));

        var predictions = engine.ReadFinalPredictions(work);
        using var champion = TrainedModel.Load(dir.File("champion.zip"));
        var comparison = ModelEvaluation.CompareOnRows(predictions, champion, new Dictionary<int, string> { [1] = newer });

        var newRows = File.ReadAllLines(newer).Length;
        Assert.Equal(profile.Rows, predictions.Rows);
        Assert.Equal(newRows, predictions.RowsFrom(new HashSet<int> { 1 }));
        Assert.NotNull(comparison);
        Assert.Equal(("auc", newRows), (comparison.Metric, comparison.Rows));
        Assert.InRange(comparison.Challenger, 0.6, 1);
        Assert.InRange(comparison.Champion, 0.6, 1);
        // On every row, the challenger's out-of-fold score is its card's CV score.
        Assert.Equal(card.CvScore, ModelEvaluation.CompareOnRows(predictions, champion,
            new Dictionary<int, string> { [0] = older, [1] = newer })!.Challenger, 4);
        Assert.Null(ModelEvaluation.CompareOnRows(predictions, champion, new Dictionary<int, string> { [2] = newer }));
    }
}
