using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Serverless.AutoMl;

namespace Serverless.Chain.Http;

/// <summary>JSON Schemas of a served model's invoke body and response, from its columns, task and classes.</summary>
public sealed class ChainSchemas
{
    private const string Draft = "https://json-schema.org/draft/2020-12/schema";
    private static readonly JsonSchemaExporterOptions Exporter = new() { TreatNullObliviousAsNonNullable = true };

    public JsonNode Input(ServedModel served)
    {
        var record = Record(served.Model.Schema);
        var text = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "A question in plain language, or \"column: value, ...\" text.",
        };
        return new JsonObject
        {
            ["$schema"] = Draft,
            ["title"] = $"{served.Dataset} input (model {served.Version})",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["input"] = new JsonObject { ["oneOf"] = new JsonArray(record, text) },
                ["question"] = text.DeepClone(),
            },
            ["oneOf"] = new JsonArray(Requires("input"), Requires("question")),
        };
    }

    /// <summary>The schema of a record for a model: its input columns with their kinds, training ranges, values and defaults.</summary>
    public static JsonObject Record(ModelSchema schema) => new()
    {
        ["type"] = "object",
        ["description"] = "A record; missing columns are filled with training defaults and listed as assumed.",
        ["properties"] = new JsonObject(schema.Columns.Where(c => c.Name != schema.Label)
            .Select(c => KeyValuePair.Create(c.Name, (JsonNode?)Column(c)))),
        ["additionalProperties"] = false,
    };

    public JsonNode Output(ServedModel served)
    {
        var schema = served.Model.Schema;
        var output = ChainJson.Options.GetJsonSchemaAsNode(typeof(ChainOutput), Exporter).AsObject();
        var properties = output["properties"]!.AsObject();
        properties["prediction"] = schema.Task == MlTask.Regression
            ? new JsonObject { ["type"] = "number" }
            : new JsonObject { ["type"] = "string", ["enum"] = Strings(schema.Classes ?? []) };
        var columns = schema.Columns.Select(c => c.Name).Where(n => n != schema.Label).ToArray();
        properties["assumed"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["enum"] = Strings(columns) } };
        return new JsonObject
        {
            ["$schema"] = Draft,
            ["title"] = $"{served.Dataset} output (model {served.Version}, {schema.Task.ToString().ToLowerInvariant()} on {schema.Label})",
            ["type"] = "object",
            ["properties"] = new JsonObject { ["output"] = output },
            ["required"] = Strings(["output"]),
        };
    }

    private static JsonObject Column(ModelColumn column)
    {
        var node = column.Kind switch
        {
            ColumnKind.Numeric => new JsonObject { ["type"] = "number" },
            ColumnKind.Boolean when column.Values is { Count: > 0 } => new JsonObject { ["enum"] = Strings(column.Values) },
            ColumnKind.Categorical => new JsonObject { ["type"] = "string", ["examples"] = Strings(column.Values?.Take(20) ?? []) },
            ColumnKind.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            _ => new JsonObject { ["type"] = "string" },
        };
        node["description"] = column.Kind.ToString().ToLowerInvariant() + (column.Min is { } min && column.Max is { } max
            ? $", seen in training from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}"
            : "");
        if (column.Default is { } fallback)
            node["default"] = column.Kind == ColumnKind.Numeric && double.TryParse(fallback, CultureInfo.InvariantCulture, out var number)
                ? number
                : fallback;
        return node;
    }

    private static JsonObject Requires(string property) => new() { ["required"] = Strings([property]) };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
