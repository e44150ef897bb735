namespace Serverless.AutoMl.Data;

/// <summary>
/// Turns raw cell text into the engine's prepared values (float for num features, string for cat/text), the same way
/// Prepare reads training rows, for records served later.
/// </summary>
internal sealed class RowEncoder
{
    private readonly IReadOnlyList<(ModelColumn Column, int[] Features)> _columns;
    private readonly IReadOnlyList<FeatureColumn> _features;

    public RowEncoder(IReadOnlyList<ModelColumn> columns, IReadOnlyList<FeatureColumn> features)
    {
        _features = features;
        _columns = columns.Select(c => (c, features.Select((f, i) => (f, i)).Where(x => x.f.Source == c.Name).Select(x => x.i).ToArray())).ToList();
    }

    /// <summary>
    /// Encodes one record. valueOf returns a column's raw text, or null when the record lacks the column
    /// (then the training default is used). Strict encoding rejects unparsable numbers instead of treating them as missing.
    /// </summary>
    public object[] Encode(Func<string, string?> valueOf, bool strict)
    {
        var encoded = new object[_features.Count];
        foreach (var (column, features) in _columns)
        {
            var raw = valueOf(column.Name) ?? column.Default;
            var missing = CellValues.IsMissing(raw);
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    encoded[features[0]] = missing ? float.NaN : Number(column, raw!, strict);
                    break;
                case ColumnKind.Boolean:
                    encoded[features[0]] = missing ? float.NaN : NumberBuffer.Read(raw, column.Kind, NumberFormat.Plain);
                    break;
                case ColumnKind.DateTime:
                    DateTime? date = !missing && CellValues.TryDate(raw!, column.DateOrder ?? DateOrder.MonthFirst, out var d) ? d : null;
                    foreach (var f in features) encoded[f] = DateParts.Value(date, _features[f].Part!);
                    break;
                default:
                    encoded[features[0]] = missing ? "" : CellValues.Clean(raw);
                    break;
            }
        }
        return encoded;
    }

    private static float Number(ModelColumn column, string raw, bool strict)
    {
        if (CellValues.TryNumber(raw, column.NumberFormat ?? NumberFormat.Plain, out var number)) return (float)number;
        if (strict)
            throw new InvalidRecordException($"Field '{column.Name}' must be a number; got '{raw}'.", [column.Name]);
        return float.NaN;
    }
}

/// <summary>
/// The numbers a date or time becomes: calendar parts, the hour when the column has times of day, and an ordinal
/// (days since 1970) that carries trends a model can split on.
/// </summary>
internal static class DateParts
{
    private static readonly string[] DateOnly = ["year", "month", "day", "dayofweek", "dayofyear", "ordinal"];
    private static readonly string[] WithTime = [.. DateOnly, "hour"];

    public static IReadOnlyList<string> For(bool hasTimeOfDay) => hasTimeOfDay ? WithTime : DateOnly;

    public static float Value(DateTime? date, string part) => date is not { } d ? float.NaN : part switch
    {
        "year" => d.Year,
        "month" => d.Month,
        "day" => d.Day,
        "dayofweek" => (int)d.DayOfWeek,
        "dayofyear" => d.DayOfYear,
        "hour" => d.Hour,
        "ordinal" => (float)(d - DateTime.UnixEpoch).TotalDays,
        _ => float.NaN,
    };
}
