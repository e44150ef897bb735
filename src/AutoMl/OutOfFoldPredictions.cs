using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>
/// The final model's out-of-fold predictions (its members' blended as the model blends them), for each evaluation row
/// that has one: the file it came from (its position in the paths Prepare read), its record number in that file, its
/// label and the prediction. Finish writes them, so a host can compare the model with another one on rows that other
/// model never trained on (<see cref="ModelEvaluation.CompareOnRows"/>).
/// </summary>
public sealed class OutOfFoldPredictions
{
    private OutOfFoldPredictions(DatasetProfile profile, RowSources sources, float[] labels, float[] predictions)
    {
        Task = profile.Task;
        Metric = profile.Metric;
        Classes = profile.Schema.Classes;
        Width = profile.PredictionWidth();
        Sources = sources;
        Labels = labels;
        Predictions = predictions;
    }

    public MlTask Task { get; }
    public string Metric { get; }
    /// <summary>The model's classes, in the order its labels and probabilities use.</summary>
    public IReadOnlyList<string>? Classes { get; }
    public int Rows => Sources.Rows;
    internal RowSources Sources { get; }
    /// <summary>Class index or value of each row.</summary>
    internal float[] Labels { get; }
    /// <summary>Row-major, <see cref="Width"/> values a row (as <see cref="MetricCatalog.Compute"/> takes them).</summary>
    internal float[] Predictions { get; }
    internal int Width { get; }

    /// <summary>How many of the rows came from these files.</summary>
    public int RowsFrom(IReadOnlySet<int> files) => Sources.Files.Count(files.Contains);

    /// <summary>The rows with a prediction, given the evaluation rows' sources, labels and blended predictions.</summary>
    internal static OutOfFoldPredictions Of(DatasetProfile profile, RowSources sources, double[] labels, double[] blended)
    {
        var width = profile.PredictionWidth();
        var rows = Enumerable.Range(0, labels.Length).Where(r => !double.IsNaN(blended[r * width])).ToArray();
        return new OutOfFoldPredictions(profile, sources.Reordered(rows),
            [.. rows.Select(r => (float)labels[r])],
            [.. rows.SelectMany(r => blended.Skip(r * width).Take(width).Select(p => (float)p))]);
    }

    internal void Write(string path) => WorkDir.WriteAtomically(path, stream =>
    {
        using var writer = new BinaryWriter(stream);
        Sources.Write(writer);
        WorkDir.WriteArray(writer, Labels);
        WorkDir.WriteArray(writer, Predictions);
    });

    /// <summary>What Finish wrote into the work directory.</summary>
    internal static OutOfFoldPredictions Read(string workDir)
    {
        var profile = WorkDir.ReadProfile(workDir);
        using var reader = new BinaryReader(File.OpenRead(WorkDir.FinalOofPath(workDir)));
        var sources = RowSources.Read(reader);
        var labels = WorkDir.ReadArray<float>(reader, sources.Rows);
        return new OutOfFoldPredictions(profile, sources, labels, WorkDir.ReadArray<float>(reader, sources.Rows * profile.PredictionWidth()));
    }
}
