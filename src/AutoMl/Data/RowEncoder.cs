using System.Globalization;

namespace Serverless.AutoMl.Data;

/// <summary>
/// Turns raw cell text into the engine's prepared values (float for num columns, string for cat/text),
/// the same way for training rows and for records served later.
/// </summary>
internal sealed class RowEncoder
{
    private static readonly string[] DateParts = ["year", "month", "day", "dayofweek", "hour"];

    private readonly IReadOnlyList<ModelColumn> _columns;
    private readonly IReadOnlyList<FeatureColumn> _features;

    public RowEncoder(IReadOnlyList<ModelColumn> columns, IReadOnlyList<FeatureColumn> features)
    {
        _columns = columns;
        _features = features;
    }

    public IReadOnlyList<FeatureColumn> Features => _features;

    /// <summary>The prepared layout for the kept columns: one feature per column, five for a datetime.</summary>
    public static IReadOnlyList<FeatureColumn> Layout(IReadOnlyList<ModelColumn> columns, IReadOnlyList<ColumnProfile> profiles)
    {
        var features = new List<FeatureColumn>();
        foreach (var column in columns)
        {
            var profile = profiles.First(p => p.Name == column.Name);
            var hasMissing = profile.MissingRatio > 0;
            if (column.Kind == ColumnKind.DateTime)
                features.AddRange(DateParts.Select(part =>
                    new FeatureColumn($"f{features.Count}", column.Name, FeatureKind.Number, profile.Distinct, hasMissing, part)));
            else
                features.Add(new FeatureColumn($"f{features.Count}", column.Name, KindOf(column.Kind), profile.Distinct, hasMissing));
        }
        return features;
    }

    private static FeatureKind KindOf(ColumnKind columnKind) => columnKind switch
    {
        ColumnKind.Numeric or ColumnKind.Boolean => FeatureKind.Number,
        ColumnKind.Text => FeatureKind.Text,
        _ => FeatureKind.Category,
    };

    /// <summary>
    /// Encodes one record. valueOf returns a column's raw text, or null when the record lacks the column
    /// (then the training default is used). Strict encoding rejects unparsable numbers instead of treating them as missing.
    /// </summary>
    public object[] Encode(Func<string, string?> valueOf, bool strict)
    {
        var encoded = new object[_features.Count];
        var f = 0;
        foreach (var column in _columns)
        {
            var raw = valueOf(column.Name) ?? column.Default;
            var missing = CellValues.IsMissing(raw);
            switch (column.Kind)
            {
                case ColumnKind.Numeric:
                    encoded[f++] = missing ? float.NaN : (float)Number(column.Name, raw!, strict);
                    break;
                case ColumnKind.Boolean:
                    encoded[f++] = missing || !CellValues.TryBoolean(raw!, out var flag) ? float.NaN : flag ? 1f : 0f;
                    break;
                case ColumnKind.DateTime:
                    DateTime? date = !missing && CellValues.TryDate(raw!, out var d) ? d : null;
                    foreach (var part in DatePartsOf(date)) encoded[f++] = part;
                    break;
                default:
                    encoded[f++] = missing ? "" : Clean(raw!);
                    break;
            }
        }
        return encoded;
    }

    private static double Number(string column, string raw, bool strict)
    {
        if (CellValues.TryNumber(raw, out var number)) return number;
        if (strict)
            throw new InvalidRecordException(
                $"Field '{column}' must be a number; got '{raw}'.", [column]);
        return double.NaN;
    }

    private static IEnumerable<object> DatePartsOf(DateTime? date) => date is { } d
        ? [(float)d.Year, (float)d.Month, (float)d.Day, (float)(int)d.DayOfWeek, (float)d.Hour]
        : DateParts.Select(_ => (object)float.NaN);

    /// <summary>Prepared data is tab-separated without quoting, so text loses tabs and line breaks.</summary>
    public static string Clean(string value) =>
        value.Trim().Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    public static string Format(object value) => value switch
    {
        float number => float.IsNaN(number) ? "" : number.ToString("R", CultureInfo.InvariantCulture),
        _ => (string)value,
    };
}
