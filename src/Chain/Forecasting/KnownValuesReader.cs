using System.Globalization;
using System.Runtime.CompilerServices;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain.Forecasting;

/// <summary>
/// Values of known columns a forecasting question states, for every step: "with a promotion", "without the holiday",
/// "at a price of 20". The tabular chain's extractor reads them against the known columns alone (a 0/1 column is a
/// yes/no flag there), so the same rules name columns in both kinds of question.
/// </summary>
internal static class KnownValuesReader
{
    private static readonly ConditionalWeakTable<ForecastInputSchema, ModelSchema> Schemas = new();

    public static IReadOnlyDictionary<string, double> Read(string question, string target, ForecastInputSchema input)
    {
        if (input.KnownColumns.Count == 0) return new Dictionary<string, double>();
        var schema = Schemas.GetValue(input, i => SchemaOf(target, i));
        var extraction = QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question);
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in extraction.Values)
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) values[name] = value;
        return values;
    }

    private static ModelSchema SchemaOf(string target, ForecastInputSchema input) => new()
    {
        Label = target,
        Task = MlTask.Regression,
        Columns = [.. input.KnownColumns.Select(k => new ModelColumn
        {
            Name = k.Name, Kind = ColumnKind.Numeric, Min = k.Min, Max = k.Max,
            // A 0/1 column is a flag, off unless the question says so.
            Default = k is { Min: 0, Max: 1 } ? "0" : null,
        })],
    };
}
