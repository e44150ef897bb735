using System.Globalization;
using System.Text.Json;
using Serverless.AutoMl;

namespace Serverless.Chain.Forecasting;

/// <summary>
/// One forecasting input: a record (<c>horizon</c>, <c>series</c>, and known columns' future values) or a question.
/// Known values stay JSON until the number of steps is known, since a single number means "every step".
/// </summary>
public sealed record ForecastRequest
{
    public const string HorizonField = "horizon";
    public const string SeriesField = "series";

    public int? Steps { get; init; }
    public string? Series { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Known { get; init; } = new Dictionary<string, JsonElement>();
    public string? Question { get; init; }

    /// <summary>Reads <c>{"input": {"horizon": 6, "series": "…", "column": [values]}}</c>, <c>{"input": "text"}</c> or <c>{"question": "text"}</c>.</summary>
    /// <exception cref="InvalidRecordException">The body has none of these shapes, or a field is not what it must be.</exception>
    public static ForecastRequest FromJson(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            if (body.TryGetProperty("input", out var input))
                return FromInput(input);
            if (body.TryGetProperty("question", out var question) && question.ValueKind == JsonValueKind.String)
                return new ForecastRequest { Question = question.GetString() };
        }
        throw new InvalidRecordException(
            """Expected {"input": {"horizon": steps, "series": "id", "known column": [values]}}, {"input": "text"} or {"question": "text"}.""", ["input"]);
    }

    /// <summary>Reads the value of <c>"input"</c>: a record object, or a question.</summary>
    public static ForecastRequest FromInput(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.String => new ForecastRequest { Question = input.GetString() },
        JsonValueKind.Object => FromRecord(input),
        _ => throw new InvalidRecordException("\"input\" must be an object (horizon, series, known columns) or a string (a question).", ["input"]),
    };

    private static ForecastRequest FromRecord(JsonElement record)
    {
        int? steps = null;
        string? series = null;
        var known = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in record.EnumerateObject())
        {
            var value = property.Value;
            if (string.Equals(property.Name, HorizonField, StringComparison.OrdinalIgnoreCase))
                steps = Number(value) is { } n && n == Math.Floor(n) && Math.Abs(n) <= int.MaxValue
                    ? (int)n
                    : throw new InvalidRecordException($"\"{HorizonField}\" must be a whole number of steps.", [HorizonField]);
            else if (string.Equals(property.Name, SeriesField, StringComparison.OrdinalIgnoreCase))
                series = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new InvalidRecordException($"\"{SeriesField}\" must name a series.", [SeriesField]),
                };
            else
                known[property.Name] = value.Clone();
        }
        return new ForecastRequest { Steps = steps, Series = series, Known = known };
    }

    /// <summary>Known columns' values for <paramref name="steps"/> steps: an array gives them step by step, a number every step.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<double>> KnownValues(IEnumerable<KeyValuePair<string, JsonElement>> known, int steps)
    {
        var values = new Dictionary<string, IReadOnlyList<double>>(StringComparer.OrdinalIgnoreCase);
        var invalid = new List<string>();
        foreach (var (name, value) in known)
        {
            if (Number(value) is { } every)
                values[name] = Enumerable.Repeat(every, steps).ToArray();
            else if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().Select(Number).ToList() is var items && items.All(v => v is not null))
                values[name] = [.. items.Select(v => v!.Value)];
            else
                invalid.Add(name);
        }
        return invalid.Count == 0
            ? values
            : throw new InvalidRecordException(
                $"{string.Join(", ", invalid)}: a known column's future values are a number (every step) or an array of numbers (step by step).", invalid);
    }

    /// <summary>A number, written as one or as text ("6", as forms send it); null otherwise.</summary>
    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
