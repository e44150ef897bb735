using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>Scores a trained model on rows of files shaped like its training file: a labelled test file (the CLI's --test), or another model's unseen rows.</summary>
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
        var labelIndex = file.Names.ToList().FindIndex(n => n.Equals(schema.Label, StringComparison.OrdinalIgnoreCase)) is var l and >= 0
            ? l
            : throw new InvalidDatasetException($"The file has no '{schema.Label}' column.");
        var labels = new List<double>();
        var records = Encode(model, file, (_, cells) =>
        {
            if (Label(schema, cells[labelIndex]) is not { } label) return false;
            labels.Add(label);
            return true;
        });
        if (records.Count == 0)
            throw new InvalidDatasetException($"The file has no rows with a usable '{schema.Label}' value.");
        var width = schema.Task == MlTask.Multiclass ? schema.Classes!.Count : 1;
        return MetricCatalog.Compute(schema.Task, width, labels, ScoreAll(model, records).SelectMany(s => s).ToArray());
    }

    /// <summary>
    /// The challenger's score (its out-of-fold predictions) and <paramref name="champion"/>'s score, with the
    /// challenger's metric, on the same rows: those of <paramref name="files"/> (position in the challenger's Prepare →
    /// local path) that have an out-of-fold prediction, read raw from the files and encoded as the champion encodes a
    /// record. The champion's probabilities are matched to the challenger's classes by name (a class it does not know
    /// has probability 0). Null when none of those rows has an out-of-fold prediction.
    /// </summary>
    public static RowComparison? CompareOnRows(OutOfFoldPredictions challenger, TrainedModel champion, IReadOnlyDictionary<int, string> files)
    {
        var rowOf = Enumerable.Range(0, challenger.Rows)
            .Where(r => files.ContainsKey(challenger.Sources.Files[r]))
            .GroupBy(r => challenger.Sources.Files[r])
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => challenger.Sources.Records[r]));
        if (rowOf.Count == 0)
            return null;
        var rows = new List<int>();
        var records = new List<object[]>();
        foreach (var (position, rowByRecord) in rowOf)
            records.AddRange(Encode(champion, DelimitedFile.Open(files[position]), (record, _) =>
            {
                if (!rowByRecord.TryGetValue(record, out var row)) return false;
                rows.Add(row);
                return true;
            }));
        if (rows.Count == 0)
            return null;

        var width = challenger.Width;
        var (labels, ours, theirs) = (new double[rows.Count], new double[rows.Count * width], new double[rows.Count * width]);
        var scores = ScoreAll(champion, records);
        for (var i = 0; i < rows.Count; i++)
        {
            labels[i] = challenger.Labels[rows[i]];
            for (var j = 0; j < width; j++) ours[i * width + j] = challenger.Predictions[rows[i] * width + j];
            InLayoutOf(challenger, champion.Schema, scores[i]).CopyTo(theirs, i * width);
        }
        var metric = challenger.Metric;
        return new RowComparison(metric, rows.Count,
            MetricCatalog.Compute(challenger.Task, width, labels, ours)[metric],
            MetricCatalog.Compute(challenger.Task, width, labels, theirs)[metric]);
    }

    /// <summary>A prediction of a model with <paramref name="schema"/> laid out as <paramref name="layout"/>'s predictions are.</summary>
    private static double[] InLayoutOf(OutOfFoldPredictions layout, ModelSchema schema, double[] values)
    {
        if (layout.Classes is not { } classes || schema.Classes is not { } known)
            return values;
        var probabilities = schema.Task == MlTask.Binary ? [1 - values[0], values[0]] : values;
        var byClass = known.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => probabilities[x.i], StringComparer.Ordinal);
        return layout.Task == MlTask.Binary
            ? [byClass.GetValueOrDefault(classes[1])]
            : [.. classes.Select(c => byClass.GetValueOrDefault(c))];
    }

    /// <summary>
    /// The file's records that <paramref name="take"/> accepts (given the record number and its cells), encoded as the
    /// model encodes a record: its columns by name, in any case.
    /// </summary>
    private static List<object[]> Encode(TrainedModel model, DelimitedFile file, Func<long, string[], bool> take)
    {
        var index = file.Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);
        var records = new List<object[]>();
        var cells = new string[file.Width];
        file.Read((record, row) =>
        {
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            if (take(record, cells))
                records.Add(model.Encode(name => index.TryGetValue(name, out var c) ? cells[c] : null));
        }, raggedTolerance: 1);
        return records;
    }

    /// <summary>Encoded records scored in one batch.</summary>
    private static double[][] ScoreAll(TrainedModel model, List<object[]> records)
    {
        var table = PreparedTable.FromRecords(model.Profile.Features, records);
        return model.ScoreAll(new TableView(model.Profile, table, Enumerable.Range(0, table.Rows).ToArray()));
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
