using System.Globalization;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>Values the model never saw the like of in training: its answer for them is a guess, and the caller is told.</summary>
internal static class ValueWarnings
{
    /// <summary>How far past the training range a number may lie, as a share of the range, before it is worth a warning.</summary>
    private const double RangeMargin = 0.1;
    /// <summary>The schema lists at most this many values of a column (the most frequent).</summary>
    private const int ListedValues = 50;

    public static string? For(ModelColumn column, string value) => column.Kind switch
    {
        ColumnKind.Numeric => OutOfRange(column, value),
        ColumnKind.Categorical or ColumnKind.Boolean => Unseen(column, value),
        _ => null,
    };

    private static string? OutOfRange(ModelColumn column, string value)
    {
        if (column.Min is not { } min || column.Max is not { } max ||
            !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return null;
        var margin = RangeMargin * Math.Max(max - min, double.Epsilon);
        return number < min - margin || number > max + margin
            ? $"{column.Name} = {value} is outside the range seen in training ({Format(min)} to {Format(max)}): the prediction is an extrapolation."
            : null;
    }

    private static string? Unseen(ModelColumn column, string value)
    {
        if (column.Values is not { Count: > 0 } known || known.Contains(value, StringComparer.Ordinal)) return null;
        return known.Count >= ListedValues
            ? $"{column.Name} = \"{value}\" is not among the {ListedValues} most frequent values seen in training: the model may treat it as unknown."
            : $"{column.Name} = \"{value}\" was not seen in training (known: {string.Join(", ", known)}): the model treats it as unknown.";
    }

    private static string Format(double number) => number.ToString("0.####", CultureInfo.InvariantCulture);
}
