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
        var file = DelimitedFile.Read(inputPath, raggedTolerance: 1);
        var classes = model.Schema.Classes ?? [];
        using var writer = Sep.New(',').Writer().ToFile(outputPath);
        for (var r = 0; r < file.Rows.Count; r++)
        {
            var cells = file.Rows[r];
            var record = file.Names.Select((name, i) => (name, value: i < cells.Length ? cells[i] : null))
                .ToDictionary(p => p.name, p => p.value, StringComparer.OrdinalIgnoreCase);
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
            for (var c = 0; c < file.Names.Count; c++)
                row[file.Names[c]].Set(c < cells.Length ? cells[c] : "");
            row[PredictionColumn].Set(prediction.Label ?? CellValues.Format(prediction.Score ?? double.NaN));
            foreach (var label in classes)
                row[ProbabilityPrefix + label].Set(CellValues.Format(prediction.Probabilities![label]));
        }
        return file.Rows.Count;
    }
}
