using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>
/// Has an LLM read a question into the champion's input record, as structured output whose JSON schema is built from
/// the model's columns (names, numbers, known values). Its reply is checked: a column the model does not have, a
/// number that does not parse or a category the model never saw is dropped with a warning, and the offline reading
/// fills that column instead when it has it.
/// </summary>
public sealed class LlmExtractor(IChatClient client, string provider, LlmOptions options)
{
    private const string Instructions =
        """
        You turn a user's question about a machine-learning model into the model's input record.
        Fill "values" with the value the question states for each column, using the column's exact name; give null for
        every column the question does not state. Numbers are numbers, in the unit the column's name states. For a
        column with listed values use exactly one of them. Put the words of the question that state nothing about any
        column, other than what it asks, into "unused". Do not guess.
        """;

    public string Provider { get; } = provider;

    internal async Task<QuestionExtraction> ExtractAsync(
        ColumnVocabulary vocabulary, string question, QuestionExtraction offline, int maxChars, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, Instructions),
            new(ChatRole.User, question.Length > maxChars ? question[..maxChars] : question),
        ];
        var chatOptions = new ChatOptions
        {
            Temperature = 0,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema(vocabulary), "record", "The question's values for the model's input columns."),
        };
        var response = await client.GetResponseAsync(messages, chatOptions, timeout.Token);
        return Check(vocabulary, Reply(response.Text), offline);
    }

    /// <summary>The reply's JSON object: values by column and the unused words.</summary>
    private static JsonObject Reply(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject reply && reply["values"] is JsonObject
                ? reply
                : throw new InvalidOperationException("The LLM's reply has no \"values\" object.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("The LLM's reply is not JSON.", e);
        }
    }

    private static QuestionExtraction Check(ColumnVocabulary vocabulary, JsonObject reply, QuestionExtraction offline)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var warnings = new List<string>(offline.Warnings);
        foreach (var (name, node) in reply["values"]!.AsObject())
        {
            if (node is null) continue;
            var column = vocabulary.Resolve(name);
            if (column is null)
            {
                warnings.Add($"The LLM gave a value for \"{name}\", which is not a column of the model; it was dropped.");
                continue;
            }
            if (Accept(column, node) is { } value) values[column.Name] = value;
            else
            {
                warnings.Add($"The LLM gave {column.Name} the value {node.ToJsonString()}, which does not fit the column; it was dropped.");
                if (offline.Values.TryGetValue(column.Name, out var fallback)) values[column.Name] = fallback;
            }
        }
        var unused = reply["unused"] is JsonArray parts
            ? parts.Select(p => p?.GetValueKind() == JsonValueKind.String ? p.GetValue<string>() : null).OfType<string>().ToArray()
            : [];
        return new QuestionExtraction(values, unused, warnings);
    }

    /// <summary>The value as the column records it, or null when it does not fit (not a number, not a known category).</summary>
    private static string? Accept(ModelColumn column, JsonNode node)
    {
        var text = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>().Trim(),
            JsonValueKind.Number => node.ToJsonString(),
            JsonValueKind.True => column.Kind == ColumnKind.Numeric ? "1" : "true",
            JsonValueKind.False => column.Kind == ColumnKind.Numeric ? "0" : "false",
            _ => null,
        };
        if (string.IsNullOrEmpty(text)) return null;
        return column.Kind switch
        {
            ColumnKind.Numeric => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? text : null,
            ColumnKind.Categorical or ColumnKind.Boolean when column.Values is { Count: > 0 } known =>
                known.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)),
            _ => text,
        };
    }

    /// <summary>JSON Schema of the reply: every input column as a nullable number, a nullable known value or nullable text.</summary>
    private static JsonElement Schema(ColumnVocabulary vocabulary)
    {
        var columns = new JsonObject();
        foreach (var column in vocabulary.Inputs) columns[column.Name] = ColumnSchema(column);
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = columns,
                    ["required"] = new JsonArray(vocabulary.Inputs.Select(c => (JsonNode?)c.Name).ToArray()),
                    ["additionalProperties"] = false,
                },
                ["unused"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            },
            ["required"] = new JsonArray("values", "unused"),
            ["additionalProperties"] = false,
        };
        return JsonSerializer.SerializeToElement(schema, ChainJson.Options);
    }

    private static JsonObject ColumnSchema(ModelColumn column) => column.Kind switch
    {
        ColumnKind.Numeric => new JsonObject
        {
            ["type"] = new JsonArray("number", "null"),
            ["description"] = column is { Min: { } min, Max: { } max }
                ? $"seen in training from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}"
                : "a number",
        },
        ColumnKind.Categorical or ColumnKind.Boolean when column.Values is { Count: > 0 } values => new JsonObject
        {
            ["type"] = new JsonArray("string", "null"),
            ["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v), null]),
        },
        _ => new JsonObject { ["type"] = new JsonArray("string", "null") },
    };
}
