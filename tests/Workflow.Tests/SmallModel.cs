using Serverless.AutoMl;

namespace Serverless.Workflow.Tests;

/// <summary>A real model, trained in a second: one trial on a synthetic binary dataset where y is 1 when x is large.</summary>
internal static class SmallModel
{
    /// <summary>Trains it in <paramref name="folder"/>; returns the model package and its card.</summary>
    public static (string Path, ModelCard Card) Train(string folder)
    {
        var csv = Path.Combine(folder, "data.csv");
        File.WriteAllLines(csv, ["x,z,y", .. Enumerable.Range(0, 200).Select(i => $"{i},{i % 7},{(i > 100 ? 1 : 0)}")]);
        var engine = new AutoMlEngine();
        var work = Path.Combine(folder, "work");
        engine.Prepare(csv, new TrainingSpec { Label = "y", BudgetSeconds = 30 }, work);
        var trial = engine.RunTrial(work, new TrialConfig(1, "lightgbm", new Dictionary<string, double>()));
        var model = Path.Combine(folder, "model.zip");
        return (model, engine.Finish(work, [trial], model));
    }
}
