using nietras.SeparatedValues;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>Scores every row of a file shaped like the model's training file (the CLI's predict).</summary>
public static class BatchScoring
{
    public const string PredictionColumn = "prediction";
    public const string ProbabilityPrefix = "probability_";

    /// <summary>
    /// Writes the input's columns followed by the prediction and, for classification, one probability column per
    /// class, as comma-separated text. A row the model cannot read (a number that does not parse) stops with its row number.
    /// </summary>
    /// <returns>How many rows were scored.</returns>
    public static int Score(TrainedModel model, string inputPath, string outputPath)
    {
        var file = DelimitedFile.Open(inputPath);
        var classes = model.Schema.Classes ?? [];
        using var writer = Sep.New(',').Writer().ToFile(outputPath);
        var cells = new string[file.Width];
        var record = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // Rows are streamed: a file of any size is scored a row at a time.
        var scored = file.Read((r, fields) =>
        {
            for (var c = 0; c < cells.Length; c++)
            {
                cells[c] = fields[c].ToString();
                record[file.Names[c]] = cells[c];
            }
            Prediction prediction;
            try
            {
                prediction = model.Predict(record);
            }
            catch (InvalidRecordException e)
            {
                throw new InvalidDatasetException($"Row {r + 1}: {e.Message}");
            }
            using var row = writer.NewRow();
            for (var c = 0; c < cells.Length; c++)
                row[file.Names[c]].Set(cells[c]);
            row[PredictionColumn].Set(prediction.Label ?? CellValues.Format(prediction.Score ?? double.NaN));
            foreach (var label in classes)
                row[ProbabilityPrefix + label].Set(CellValues.Format(prediction.Probabilities![label]));
        }, raggedTolerance: 1);
        return (int)scored;
    }
}
