using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>Scores a trained model on a labelled file shaped like its training file (the CLI's --test).</summary>
public static class ModelEvaluation
{
    /// <summary>Every metric of the model's task on the file's rows; rows without a known label are skipped.</summary>
    public static IReadOnlyDictionary<string, double> Evaluate(TrainedModel model, string csvPath)
    {
        var schema = model.Schema;
        var records = DelimitedFile.ReadRecords(csvPath);
        var labelled = records
            .Select(r => (record: r, label: Label(schema, r.GetValueOrDefault(schema.Label))))
            .Where(x => x.label is not null)
            .ToList();
        if (labelled.Count == 0)
            throw new InvalidDatasetException($"The file has no rows with a usable '{schema.Label}' value.");
        var predictions = labelled.SelectMany(x => Values(schema, model.Predict(x.record))).ToArray();
        var width = schema.Task == MlTask.Multiclass ? schema.Classes!.Count : 1;
        return MetricCatalog.Compute(schema.Task, width, labelled.Select(x => x.label!.Value).ToArray(), predictions);
    }

    private static double? Label(ModelSchema schema, string? raw)
    {
        if (CellValues.IsMissing(raw)) return null;
        if (schema.Classes is { } classes)
        {
            var index = classes.ToList().IndexOf(raw!.Trim());
            if (index < 0 && CellValues.TryNumber(raw, out var number))
                index = classes.ToList().FindIndex(c => CellValues.TryNumber(c, out var d) && d == number);
            return index >= 0 ? index : null;
        }
        return CellValues.TryNumber(raw!, out var value) ? value : null;
    }

    private static IEnumerable<double> Values(ModelSchema schema, Prediction prediction) => schema.Task switch
    {
        MlTask.Binary => [prediction.Probabilities![schema.Classes![1]]],
        MlTask.Multiclass => schema.Classes!.Select(c => prediction.Probabilities![c]),
        _ => [prediction.Score!.Value],
    };
}
