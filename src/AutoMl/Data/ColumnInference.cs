using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.AutoMl.Data;

/// <summary>Infers a column's kind from its values and decides whether it is worth keeping.</summary>
internal static partial class ColumnInference
{
    private const int MaxListedValues = 50;

    [GeneratedRegex(@"(^|[^a-zA-Z])(id|ID|Id)$|^(id|ID|Id)([^a-zA-Z]|$)|[a-z]Id$")]
    private static partial Regex IdName();

    public static (ColumnProfile Profile, ModelColumn? Column) Infer(string name, IReadOnlyList<string> values)
    {
        var present = values.Where(v => !CellValues.IsMissing(v)).Select(v => v.Trim()).ToList();
        var missingRatio = values.Count == 0 ? 1 : 1 - (double)present.Count / values.Count;
        var counts = present.GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => (value: g.Key, count: g.Count()))
            .OrderByDescending(x => x.count).ThenBy(x => x.value, StringComparer.Ordinal).ToList();
        var kind = KindOf(present, counts.Count);
        ColumnProfile Profile(string? dropReason) =>
            new(name, kind, Math.Round(missingRatio, 4), counts.Count, dropReason is not null, dropReason);

        if (counts.Count <= 1) return (Profile("constant"), null);
        if (IsIdLike(name, kind, present, counts.Count)) return (Profile("id-like: nearly every value is distinct"), null);
        return (Profile(null), Describe(name, kind, present, counts));
    }

    private static ColumnKind KindOf(List<string> present, int distinct)
    {
        if (present.Count == 0) return ColumnKind.Categorical;
        var numeric = present.Count(v => CellValues.TryNumber(v, out _));
        if (numeric >= 0.99 * present.Count) return ColumnKind.Numeric;
        if (distinct == 2 && present.All(v => CellValues.TryBoolean(v, out _))) return ColumnKind.Boolean;
        if (present.Count(v => CellValues.TryDate(v, out _)) >= 0.95 * present.Count) return ColumnKind.DateTime;
        var averageLength = present.Average(v => v.Length);
        var averageWords = present.Average(v => v.Count(char.IsWhiteSpace) + 1.0);
        return (averageLength >= 30 || averageWords >= 5) && distinct >= 0.3 * present.Count ? ColumnKind.Text : ColumnKind.Categorical;
    }

    private static bool IsIdLike(string name, ColumnKind kind, List<string> present, int distinct) => kind switch
    {
        ColumnKind.Categorical => present.Count > 20 && distinct >= 0.9 * present.Count,
        ColumnKind.Numeric => distinct == present.Count && IdName().IsMatch(name) &&
                     present.All(v => CellValues.TryNumber(v, out var d) && d == Math.Floor(d)),
        _ => false,
    };

    private static ModelColumn Describe(string name, ColumnKind kind, List<string> present, List<(string value, int count)> counts)
    {
        var mode = counts[0].value;
        switch (kind)
        {
            case ColumnKind.Numeric:
                var numbers = present.Select(v => CellValues.TryNumber(v, out var d) ? d : double.NaN)
                    .Where(d => !double.IsNaN(d)).Order().ToList();
                return new ModelColumn
                {
                    Name = name, Kind = kind, Default = CellValues.Format(numbers[numbers.Count / 2]),
                    Min = numbers[0], Max = numbers[^1],
                };
            case ColumnKind.DateTime:
                var dates = present.Select(v => CellValues.TryDate(v, out var d) ? d : (DateTime?)null)
                    .OfType<DateTime>().Order().ToList();
                return new ModelColumn
                {
                    Name = name, Kind = kind, Default = dates[dates.Count / 2].ToString("o", CultureInfo.InvariantCulture),
                };
            case ColumnKind.Text:
                return new ModelColumn { Name = name, Kind = kind, Default = "" };
            default:
                return new ModelColumn
                {
                    Name = name, Kind = kind, Default = mode,
                    Values = counts.Take(MaxListedValues).Select(c => c.value).ToList(),
                };
        }
    }
}
