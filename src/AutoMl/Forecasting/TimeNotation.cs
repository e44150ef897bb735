using System.Globalization;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Forecasting;

/// <summary>How a time column writes its timestamps.</summary>
internal enum TimeNotation
{
    /// <summary>Dates as <see cref="CellValues.TryDate(string, out DateTime)"/> reads them: ISO, month first, month names, quarters.</summary>
    Dates,
    /// <summary>Day first ("28/01/2020", "28.01.2020"): a column that only reads this way (<see cref="DateOrder.DayFirst"/>).</summary>
    DayFirst,
    /// <summary>Plain years ("1990"): yearly data often comes so.</summary>
    Years,
}

/// <summary>
/// Finds a column's time notation from all its cells, since one cell cannot tell "03/04/2020" month first from day
/// first, and reads cells in it.
/// </summary>
internal static class TimeNotations
{
    private const int FirstYear = 1000;
    private const int LastYear = 2999;

    /// <summary>The notation the column's dates are in (<see cref="ColumnInference.DateOrderOf"/>), or null.</summary>
    public static TimeNotation? DatesOf(string[] cells) =>
        ColumnInference.DateOrderOf([.. cells.Where(c => !CellValues.IsMissing(c))]) switch
        {
            DateOrder.MonthFirst => TimeNotation.Dates,
            DateOrder.DayFirst => TimeNotation.DayFirst,
            _ => null,
        };

    /// <summary>
    /// Whether the column is plain years: whole numbers from 1000 to 2999, at least three of them, filling at least
    /// half of the span from the first to the last (so amounts that happen to lie in that range are not years).
    /// </summary>
    public static bool AreYears(string[] cells)
    {
        var present = cells.Where(c => !CellValues.IsMissing(c)).ToList();
        var years = present.Select(c => int.TryParse(c.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : -1).ToList();
        if (present.Count == 0 || years.Any(y => y is < FirstYear or > LastYear)) return false;
        var distinct = years.Distinct().Count();
        return distinct >= 3 && years.Max() - years.Min() + 1 <= 2 * distinct;
    }

    public static bool TryRead(string cell, TimeNotation notation, out DateTime time)
    {
        switch (notation)
        {
            case TimeNotation.DayFirst:
                return CellValues.TryDate(cell, DateOrder.DayFirst, out time);
            case TimeNotation.Years when int.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= FirstYear and <= LastYear:
                time = new DateTime(year, 1, 1);
                return true;
            case TimeNotation.Years:
                time = default;
                return false;
            default:
                return CellValues.TryDate(cell, out time);
        }
    }
}
