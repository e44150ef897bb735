using System.Globalization;
using System.Text;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>
/// A model trained on a file with an id column and a constant column (both dropped by the engine) answers a row copied
/// from that file, listing what it did not use; only a name the file never had is refused.
/// </summary>
public sealed class TrainingColumnsTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "chain-training-columns-" + Guid.NewGuid().ToString("N"));
    private ServedModel _served = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var csv = new StringBuilder("employee_id,site,hours,team,left\n");
        for (var i = 0; i < 60; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{1000 + i},main,{20 + i % 30},{(i % 3 == 0 ? "red" : "blue")},{(i % 30 > 15 ? "yes" : "no")}\n");
        var data = Path.Combine(_root, "staff.csv");
        await File.WriteAllTextAsync(data, csv.ToString());
        var engine = new AutoMlEngine(new AutoMlOptions { Folds = 3 });
        engine.Prepare(data, new TrainingSpec { Label = "left", BudgetSeconds = 60, Seed = 3, ParallelTrials = 1 }, _root);
        var trials = await new InProcessTrialExecutor(engine, _root).RunAsync([new TrialConfig(1, "lbfgs", new Dictionary<string, double>())]);
        var model = Path.Combine(_root, "model.zip");
        engine.Finish(_root, trials, model);
        _served = new ServedModel("staff", "v1", TrainedModel.Load(model));
    }

    public Task DisposeAsync()
    {
        _served?.Model.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_row_copied_from_the_training_file_is_answered_and_its_unused_columns_listed()
    {
        Assert.Equal(["employee_id", "site"], _served.Model.Schema.DroppedColumns);

        var output = await ChainRunnerTests.Chain().RunAsync(_served, ChainRequest.ForRecord(new Dictionary<string, string?>
        {
            ["employee_id"] = "1007", ["site"] = "main", ["hours"] = "27", ["team"] = "blue", ["left"] = "no",
        }), null, CancellationToken.None);

        Assert.Equal(["employee_id", "site", "left"], output.Ignored);
        Assert.Equal("27", output.Inputs["hours"]);
        Assert.Empty(output.Assumed);
    }

    [Fact]
    public async Task A_field_the_training_file_never_had_is_refused()
    {
        var error = await Assert.ThrowsAsync<InvalidRecordException>(() => ChainRunnerTests.Chain().RunAsync(_served,
            ChainRequest.ForRecord(new Dictionary<string, string?> { ["hours"] = "27", ["salary"] = "3000" }), null, CancellationToken.None));

        Assert.Equal(["salary"], error.Fields);
    }
}
