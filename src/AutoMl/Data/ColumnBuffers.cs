using System.Globalization;

namespace Serverless.AutoMl.Data;

/// <summary>
/// One input column's cells, typed as the file streams by: floats for numbers and flags, ticks for dates, codes into
/// a table of distinct values for categories and text. No cell is kept as its own string.
/// </summary>
internal abstract class ColumnBuffer(string name, ColumnKind kind)
{
    private const int MaxListedValues = 50;

    public string Name { get; } = name;
    public ColumnKind Kind { get; } = kind;
    public int Count { get; protected set; }
    public int Missing { get; protected set; }
    public abstract int Distinct { get; }

    public abstract void Add(ReadOnlySpan<char> cell);

    /// <summary>Keeps only the given rows, in that order (the prepared data's stratified order).</summary>
    public abstract void Reorder(int[] order);

    /// <summary>The column as a deployed model expects it: defaults, ranges, listed values.</summary>
    public abstract ModelColumn Describe();

    public ColumnProfile Profile(string? dropReason) =>
        new(Name, Kind, Count == 0 ? 1 : Math.Round((double)Missing / Count, 4), Distinct, dropReason is not null, dropReason);

    public static ColumnBuffer For(string name, ColumnGuess guess, int capacity) => guess.Kind switch
    {
        ColumnKind.Numeric => new NumberBuffer(name, guess.Kind, capacity, guess.Format),
        ColumnKind.Boolean => new NumberBuffer(name, guess.Kind, capacity, guess.Format),
        ColumnKind.DateTime => new DateBuffer(name, capacity, guess.HasTimeOfDay, guess.DateOrder),
        _ => new CodedBuffer(name, guess.Kind, capacity),
    };

    protected static T[] Reordered<T>(List<T> values, int[] order)
    {
        var result = new T[order.Length];
        for (var i = 0; i < order.Length; i++) result[i] = values[order[i]];
        return result;
    }

    protected static List<string> Listed(IEnumerable<(string Value, int Count)> counts) =>
        counts.OrderByDescending(x => x.Count).ThenBy(x => x.Value, StringComparer.Ordinal).Take(MaxListedValues).Select(x => x.Value).ToList();
}

/// <summary>Numbers (NaN when missing or unreadable) and flags (0/1).</summary>
internal sealed class NumberBuffer(string name, ColumnKind kind, int capacity, NumberFormat format) : ColumnBuffer(name, kind)
{
    private List<float> _values = new(capacity);
    private readonly HashSet<float> _distinct = [];
    /// <summary>Flags: how the file spells true and false, for the deployed schema.</summary>
    private string? _trueToken, _falseToken;

    public float[] Values { get; private set; } = [];
    public override int Distinct => _distinct.Count;

    public override void Add(ReadOnlySpan<char> cell)
    {
        var value = Read(cell, Kind, format);
        if (Kind == ColumnKind.Boolean && !float.IsNaN(value))
        {
            if (value == 1) _trueToken ??= CellValues.Clean(cell);
            else _falseToken ??= CellValues.Clean(cell);
        }
        if (float.IsNaN(value)) Missing++;
        else if (_distinct.Count < DistinctTracked) _distinct.Add(value);
        _values.Add(value);
        Count++;
    }

    /// <summary>Distinct numbers are counted up to a bound: beyond it only "many" matters (a constant column has one).</summary>
    private const int DistinctTracked = 100;

    public static float Read(ReadOnlySpan<char> cell, ColumnKind kind, NumberFormat format)
    {
        if (CellValues.IsMissing(cell)) return float.NaN;
        if (kind == ColumnKind.Boolean) return CellValues.TryBoolean(cell, out var flag) ? flag ? 1f : 0f : float.NaN;
        return CellValues.TryNumber(cell, format, out var number) ? (float)number : float.NaN;
    }

    public override void Reorder(int[] order)
    {
        Values = Reordered(_values, order);
        _values = [];
    }

    public override ModelColumn Describe()
    {
        var present = Values.Where(v => !float.IsNaN(v)).ToArray();
        Array.Sort(present);
        if (Kind == ColumnKind.Boolean)
        {
            var ones = present.Count(v => v == 1);
            var listed = Listed([(_trueToken ?? "true", ones), (_falseToken ?? "false", present.Length - ones)]);
            return new ModelColumn { Name = Name, Kind = Kind, Default = listed[0], Values = listed };
        }
        return new ModelColumn
        {
            Name = Name, Kind = Kind, Default = SinglePrecision.Format(present.Length == 0 ? 0 : present[present.Length / 2]),
            Min = present.Length == 0 ? null : SinglePrecision.Widen(present[0]),
            Max = present.Length == 0 ? null : SinglePrecision.Widen(present[^1]),
            NumberFormat = format == NumberFormat.Plain ? null : format,
        };
    }
}

/// <summary>Dates and times as ticks (long.MinValue when missing), split into calendar parts later.</summary>
internal sealed class DateBuffer(string name, int capacity, bool hasTimeOfDay, DateOrder order) : ColumnBuffer(name, ColumnKind.DateTime)
{
    private List<long> _ticks = new(capacity);
    private readonly HashSet<long> _distinct = [];

    public const long MissingTicks = long.MinValue;

    public bool HasTimeOfDay { get; } = hasTimeOfDay;
    public long[] Ticks { get; private set; } = [];
    public override int Distinct => _distinct.Count;

    public override void Add(ReadOnlySpan<char> cell)
    {
        var ticks = !CellValues.IsMissing(cell) && CellValues.TryDate(cell, order, out var date) ? date.Ticks : MissingTicks;
        if (ticks == MissingTicks) Missing++;
        else if (_distinct.Count < 10_000) _distinct.Add(ticks);
        _ticks.Add(ticks);
        Count++;
    }

    public override void Reorder(int[] order)
    {
        Ticks = Reordered(_ticks, order);
        _ticks = [];
    }

    public override ModelColumn Describe()
    {
        var present = Ticks.Where(t => t != MissingTicks).ToArray();
        Array.Sort(present);
        var median = present.Length == 0 ? DateTime.UnixEpoch : new DateTime(present[present.Length / 2], DateTimeKind.Utc);
        return new ModelColumn
        {
            // ISO as people read it: the date alone when the median has no time of day.
            Name = Name, Kind = Kind,
            Default = median.ToString(median.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            DateOrder = order == DateOrder.MonthFirst ? null : order,
        };
    }
}

/// <summary>Categories and text: a code per row (-1 when missing) into the column's distinct values.</summary>
internal sealed class CodedBuffer(string name, ColumnKind kind, int capacity) : ColumnBuffer(name, kind)
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _levels = [];
    private readonly List<int> _counts = [];
    private List<int> _rows = new(capacity);
    private long _characters;

    public int[] Codes { get; private set; } = [];
    public string[] Levels => [.. _levels];
    public override int Distinct => _levels.Count;
    public double AverageLength => Count == Missing ? 0 : (double)_characters / (Count - Missing);

    public override void Add(ReadOnlySpan<char> cell)
    {
        Count++;
        if (CellValues.IsMissing(cell))
        {
            Missing++;
            _rows.Add(-1);
            return;
        }
        var text = cell.Trim();
        _characters += text.Length;
        var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!(text.IndexOfAny('\t', '\r', '\n') < 0 ? lookup.TryGetValue(text, out var code) : _codes.TryGetValue(CellValues.Clean(text), out code)))
        {
            code = _levels.Count;
            var value = CellValues.Clean(text);
            _codes[value] = code;
            _levels.Add(value);
            _counts.Add(0);
        }
        _counts[code]++;
        _rows.Add(code);
    }

    public override void Reorder(int[] order)
    {
        Codes = Reordered(_rows, order);
        _rows = [];
    }

    public override ModelColumn Describe()
    {
        if (Kind == ColumnKind.Text) return new ModelColumn { Name = Name, Kind = Kind, Default = "" };
        var listed = Listed(_levels.Select((value, i) => (value, _counts[i])));
        return new ModelColumn { Name = Name, Kind = Kind, Default = listed.FirstOrDefault(), Values = listed };
    }
}
