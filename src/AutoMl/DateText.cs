using Serverless.AutoMl.Data;

namespace Serverless.AutoMl;

/// <summary>Dates as the engine reads a date column's cells, for callers outside it (the chain reads dates in questions).</summary>
public static class DateText
{
    /// <summary>ISO, month names with a year, quarters, and numeric dates in the column's day and month order.</summary>
    public static bool TryRead(string value, DateOrder order, out DateTime date) => CellValues.TryDate(value, order, out date);
}
