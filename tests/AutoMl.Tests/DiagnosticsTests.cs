using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

/// <summary>The model card's diagnostics: computed from the chosen members' out-of-fold predictions, and bounded.</summary>
public sealed class DiagnosticsTests
{
    private static (Candidate, double) Member(double weight, params double[] predictions) =>
        (new Candidate(new TrialResult { TrialId = 1, Learner = "scripted", Params = new Dictionary<string, double>(), Status = TrialStatus.Succeeded }, predictions), weight);

    [Fact]
    public void Binary_diagnostics_count_the_blended_predictions_and_trace_the_roc_curve()
    {
        double[] labels = [0, 0, 1, 1, 1, double.NaN];
        // Blended with equal weights: 0.1, 0.6, 0.4, 0.8, 0.9; the last row has no out-of-fold prediction (holdout).
        var diagnostics = OutOfFoldDiagnostics.Compute(MlTask.Binary, labels, width: 1,
            [Member(0.5, 0.2, 0.6, 0.0, 0.8, 1.0, double.NaN), Member(0.5, 0.0, 0.6, 0.8, 0.8, 0.8, double.NaN)]);

        Assert.Equal(5, diagnostics.Rows);
        Assert.Equal([[1, 1], [1, 2]], diagnostics.ConfusionMatrix!.Select(row => row.ToArray()));
        Assert.Equal(new PlotPoint(0, 0), diagnostics.Roc![0]);
        Assert.Equal(new PlotPoint(1, 1), diagnostics.Roc[^1]);
        Assert.Equal(5.0 / 6, TrapezoidArea(diagnostics.Roc), 5);
        Assert.Null(diagnostics.PredictedVsActual);
    }

    [Fact]
    public void Multiclass_diagnostics_have_a_matrix_only_while_it_stays_readable()
    {
        var few = OutOfFoldDiagnostics.Compute(MlTask.Multiclass, [0, 1, 2], width: 3,
            [Member(1, 0.8, 0.1, 0.1, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4)]);
        Assert.Equal([[1, 0, 0], [0, 0, 1], [0, 0, 1]], few.ConfusionMatrix!.Select(row => row.ToArray()));
        Assert.Null(few.Roc);

        var classes = OutOfFoldDiagnostics.MaxMatrixClasses + 1;
        var many = OutOfFoldDiagnostics.Compute(MlTask.Multiclass, [0], classes, [Member(1, new double[classes])]);
        Assert.Equal(1, many.Rows);
        Assert.Null(many.ConfusionMatrix);
    }

    [Fact]
    public void Regression_diagnostics_sample_predicted_against_actual_evenly_and_boundedly()
    {
        var rows = 10 * OutOfFoldDiagnostics.MaxRegressionPoints;
        var labels = Enumerable.Range(0, rows).Select(i => (double)i).ToArray();
        var diagnostics = OutOfFoldDiagnostics.Compute(MlTask.Regression, labels, width: 1,
            [Member(1, labels.Select(l => l + 0.5).ToArray())]);

        Assert.Equal(rows, diagnostics.Rows);
        var points = diagnostics.PredictedVsActual!;
        Assert.Equal(OutOfFoldDiagnostics.MaxRegressionPoints, points.Count);
        Assert.Equal(new PlotPoint(0, 0.5), points[0]);
        Assert.Equal(new PlotPoint(rows - 1, rows - 0.5), points[^1]);
        Assert.All(points, p => Assert.Equal(0.5, p.Y - p.X, 9));
        Assert.Null(diagnostics.ConfusionMatrix);
    }

    [Fact]
    public async Task A_trained_card_carries_diagnostics_that_agree_with_its_metrics()
    {
        using var dir = new TempDir();
        var engine = new AutoMlEngine();
        var work = dir.File("work");
        var profile = engine.Prepare(TestFiles.Data("heart-semicolon-bom.csv"), new TrainingSpec { BudgetSeconds = 5, ParallelTrials = 2 }, work);
        var trials = await SearchLoop.RunAsync(profile, new InProcessTrialExecutor(engine, work), () => DateTime.UtcNow);
        var card = engine.Finish(work, trials, dir.File("model.zip"));

        var diagnostics = Assert.IsType<ModelDiagnostics>(card.Diagnostics);
        var matrix = diagnostics.ConfusionMatrix!;
        Assert.Equal(diagnostics.Rows, matrix.Sum(row => row.Sum()));
        Assert.Equal(card.Metrics["accuracy"], (double)(matrix[0][0] + matrix[1][1]) / diagnostics.Rows, 6);
        Assert.Equal(card.Metrics["auc"], TrapezoidArea(diagnostics.Roc!), 2);
        Assert.InRange(diagnostics.Roc!.Count, 2, OutOfFoldDiagnostics.MaxRocPoints);
    }

    [Fact]
    public void A_card_written_before_diagnostics_existed_still_reads()
    {
        const string OldCard = """{"schema": {"label": "y", "task": "binary", "columns": []}, "metric": "auc", "cvScore": 0.8, "learner": "LightGbm"}""";
        var card = JsonSerializer.Deserialize<ModelCard>(OldCard,
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } });
        Assert.Equal(0.8, card!.CvScore);
        Assert.Null(card.Diagnostics);
    }

    private static double TrapezoidArea(IReadOnlyList<PlotPoint> curve) =>
        curve.Zip(curve.Skip(1), (a, b) => (b.X - a.X) * (a.Y + b.Y) / 2).Sum();
}
