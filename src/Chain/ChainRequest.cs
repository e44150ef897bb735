using System.Globalization;
using System.Text.Json;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>One chain input: a record (column → value) or text (a question, or "key: value" pairs).</summary>
public sealed record ChainRequest
{
    public IReadOnlyDictionary<string, string?>? Record { get; init; }
    public string? Text { get; init; }

    public static ChainRequest ForRecord(IReadOnlyDictionary<string, string?> record) => new() { Record = record };
    public static ChainRequest ForText(string text) => new() { Text = text };

    /// <summary>Reads <c>{"input": {record}}</c>, <c>{"input": "text"}</c> or <c>{"question": "text"}</c>.</summary>
    /// <exception cref="InvalidRecordException">The body has none of these shapes.</exception>
    public static ChainRequest FromJson(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            if (body.TryGetProperty("input", out var input))
                return FromInput(input);
            if (body.TryGetProperty("question", out var question) && question.ValueKind == JsonValueKind.String)
                return ForText(question.GetString()!);
        }
        throw new InvalidRecordException(
            """Expected {"input": {column: value, ...}}, {"input": "text"} or {"question": "text"}.""", ["input"]);
    }

    /// <summary>Reads the value of <c>"input"</c>: a record object, or text.</summary>
    /// <exception cref="InvalidRecordException">It is neither, or a value of the record is not a scalar.</exception>
    public static ChainRequest FromInput(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.String => ForText(input.GetString()!),
        JsonValueKind.Object => ForRecord(ReadRecord(input)),
        _ => throw new InvalidRecordException("\"input\" must be an object (a record) or a string (a question).", ["input"]),
    };

    private static Dictionary<string, string?> ReadRecord(JsonElement record)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var nested = new List<string>();
        foreach (var property in record.EnumerateObject())
        {
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String: values[property.Name] = value.GetString(); break;
                case JsonValueKind.Number: values[property.Name] = value.GetRawText(); break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[property.Name] = value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(); break;
                case JsonValueKind.Null: values[property.Name] = null; break;
                default: nested.Add(property.Name); break;
            }
        }
        if (nested.Count > 0)
            throw new InvalidRecordException($"Values must be strings, numbers, booleans or null: {string.Join(", ", nested)}.", nested);
        return values;
    }
}
