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

    public JsonNode Input(ServedModel served) =>
        InvokeBody($"{served.Dataset} input (model {served.Version})", Record(served.Model.Schema), "A question in plain language, or \"column: value, ...\" text.");

    /// <summary>An invoke body: <c>{"input": record or text}</c> or <c>{"question": text}</c>.</summary>
    internal static JsonNode InvokeBody(string title, JsonObject record, string textDescription)
    {
        var text = new JsonObject { ["type"] = "string", ["description"] = textDescription };
        return new JsonObject
        {
            ["$schema"] = Draft,
            ["title"] = title,
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
        var output = OutputOf<ChainOutput>();
        var properties = output["properties"]!.AsObject();
        properties["prediction"] = schema.Task == MlTask.Regression
            ? new JsonObject { ["type"] = "number" }
            : new JsonObject { ["type"] = "string", ["enum"] = Strings(schema.Classes ?? []) };
        var columns = schema.Columns.Select(c => c.Name).Where(n => n != schema.Label).ToArray();
        properties["assumed"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["enum"] = Strings(columns) } };
        return Response($"{served.Dataset} output (model {served.Version}, {schema.Task.ToString().ToLowerInvariant()} on {schema.Label})", output);
    }

    /// <summary>The JSON Schema of an output type in the chain's wire format, to refine for one model.</summary>
    internal static JsonObject OutputOf<T>() => ChainJson.Options.GetJsonSchemaAsNode(typeof(T), Exporter).AsObject();

    /// <summary>A response: <c>{"output": output}</c>.</summary>
    internal static JsonNode Response(string title, JsonObject output) => new JsonObject
    {
        ["$schema"] = Draft,
        ["title"] = title,
        ["type"] = "object",
        ["properties"] = new JsonObject { ["output"] = output },
        ["required"] = Strings(["output"]),
    };

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

    internal static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
