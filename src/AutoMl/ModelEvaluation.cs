using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>Scores a trained model on a labelled file shaped like its training file (the CLI's --test).</summary>
public static class ModelEvaluation
{
    /// <summary>
    /// Every metric of the model's task on the file's rows; rows without a known label are skipped. The rows are
    /// streamed, encoded as the model encodes a record, and scored in one batch.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Evaluate(TrainedModel model, string csvPath)
    {
        var schema = model.Schema;
        var file = DelimitedFile.Open(csvPath);
        var index = file.Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);
        var labelIndex = index.TryGetValue(schema.Label, out var l) ? l : throw new InvalidDatasetException(
            $"The file has no '{schema.Label}' column.");
        var labels = new List<double>();
        var records = new List<object[]>();
        file.Read((_, row) =>
        {
            if (Label(schema, row[labelIndex].ToString()) is not { } label) return;
            var cells = new string[file.Width];
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            labels.Add(label);
            records.Add(model.Encode(name => index.TryGetValue(name, out var c) ? cells[c] : null));
        }, raggedTolerance: 1);
        if (records.Count == 0)
            throw new InvalidDatasetException($"The file has no rows with a usable '{schema.Label}' value.");
        var table = PreparedTable.FromRecords(model.Profile.Features, records);
        var scores = model.ScoreAll(new TableView(model.Profile, table, Enumerable.Range(0, table.Rows).ToArray()));
        var width = schema.Task == MlTask.Multiclass ? schema.Classes!.Count : 1;
        return MetricCatalog.Compute(schema.Task, width, labels, scores.SelectMany(s => s).ToArray());
    }

    private static double? Label(ModelSchema schema, string raw)
    {
        if (CellValues.IsMissing(raw)) return null;
        if (schema.Classes is { } classes)
        {
            var index = classes.ToList().IndexOf(raw.Trim());
            if (index < 0 && CellValues.TryNumber(raw, out var number))
                index = classes.ToList().FindIndex(c => CellValues.TryNumber(c, out var d) && d == number);
            return index >= 0 ? index : null;
        }
        return CellValues.TryNumber(raw, out var value) ? value : null;
    }
}
