namespace Serverless.AutoMl.Tests;

public sealed class MalformedFileTests
{
    private static InvalidDatasetException Reject(string content, TrainingSpec? spec = null)
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.csv", content);
        return Assert.Throws<InvalidDatasetException>(() => new AutoMlEngine().Prepare(path, spec ?? new TrainingSpec(), dir.File("work")));
    }

    private static string Rows(int count, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, count).Select(row)) + "\n";

    [Fact]
    public void Empty_file() => Assert.Contains("empty", Reject("").Message);

    [Fact]
    public void Single_column() => Assert.Contains("single column", Reject("a\n" + Rows(20, i => i.ToString())).Message);

    [Fact]
    public void Requested_label_missing()
    {
        var error = Reject("a,b\n" + Rows(20, i => $"{i},{i % 2}"), new TrainingSpec { Label = "price" });
        Assert.Contains("'price' is not in the file", error.Message);
        Assert.Contains("a, b", error.Message);
    }

    [Fact]
    public void Too_few_rows() => Assert.Contains("at least 10", Reject("a,b\n" + Rows(5, i => $"{i},{i % 2}")).Message);

    [Fact]
    public void Label_with_one_value() => Assert.Contains("single value", Reject("a,b\n" + Rows(20, i => $"{i},1")).Message);

    [Fact]
    public void Ragged_rows() =>
        Assert.Contains("do not have 3 fields", Reject("a,b,c\n" + Rows(20, i => i % 3 == 0 ? $"{i},1" : $"{i},{i % 2},x")).Message);

    [Fact]
    public void Metric_of_another_task() =>
        Assert.Contains("use one of: auc", Reject("a,b\n" + Rows(20, i => $"{i},{i % 2}"), new TrainingSpec { Metric = "rmse" }).Message);

    [Fact]
    public void Only_id_columns_beside_the_label() =>
        Assert.Contains("No usable feature column", Reject("code,b\n" + Rows(30, i => $"c{i},{i % 2}")).Message);
}
