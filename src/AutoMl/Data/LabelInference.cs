namespace Serverless.AutoMl.Data;

/// <summary>The label's cells as the file streams by: its number (NaN when not one) and its distinct values, counted.</summary>
internal sealed class LabelValues(int capacity)
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private List<float> _numbers = new(capacity);
    private List<int> _rows = new(capacity);

    public List<string> Distinct { get; } = [];
    public List<int> Counts { get; } = [];
    /// <summary>More distinct values than any classification takes: only regression remains.</summary>
    public bool Overflowed { get; private set; }
    public bool AllNumeric { get; private set; } = true;
    public bool AllIntegers { get; private set; } = true;
    public int Count => Numbers.Length;
    public float[] Numbers { get; private set; } = [];
    /// <summary>Per row, the index of its value in Distinct (-1 after an overflow).</summary>
    public int[] Codes { get; private set; } = [];

    public void Add(ReadOnlySpan<char> cell)
    {
        var text = cell.Trim();
        var numeric = CellValues.TryNumber(text, NumberFormat.Plain, out var number);
        AllNumeric &= numeric;
        AllIntegers &= numeric && number == Math.Floor(number);
        _numbers.Add(numeric ? (float)number : float.NaN);
        var lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out var code))
        {
            if (Distinct.Count > LabelInference.MaxClasses) Overflowed = true;
            if (Overflowed)
            {
                _rows.Add(-1);
                return;
            }
            code = Distinct.Count;
            var value = text.ToString();
            _codes[value] = code;
            Distinct.Add(value);
            Counts.Add(0);
        }
        Counts[code]++;
        _rows.Add(code);
    }

    public void Seal()
    {
        Numbers = [.. _numbers];
        Codes = [.. _rows];
        _numbers = [];
        _rows = [];
    }
}

/// <summary>Which column is the label, what task it implies, and how its values become numbers.</summary>
internal static class LabelInference
{
    private static readonly string[] LabelNames = ["label", "target", "class", "y"];
    public const int MaxClasses = 200;
    private const int MaxIntegerClasses = 20;

    public static int FindLabel(IReadOnlyList<string> names, string? requested)
    {
        if (requested is not null)
        {
            var index = IndexOf(names, requested);
            return index >= 0 ? index : throw new InvalidDatasetException(
                $"The label column '{requested}' is not in the file. Columns: {string.Join(", ", names)}.");
        }
        return LabelNames.Select(n => IndexOf(names, n)).FirstOrDefault(i => i >= 0, names.Count - 1);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name) =>
        names.ToList().FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    public static MlTask InferTask(string label, LabelValues values, MlTask? requested)
    {
        var distinct = values.Overflowed ? int.MaxValue : values.Distinct.Count;
        if (distinct < 2)
            throw new InvalidDatasetException($"The label '{label}' has a single value ('{values.Distinct.FirstOrDefault()}'); there is nothing to learn.");
        var described = values.Overflowed ? $"more than {MaxClasses}" : distinct.ToString();
        if (requested is { } task)
        {
            if (task == MlTask.Binary && distinct != 2)
                throw new InvalidDatasetException($"Binary classification needs exactly 2 label values; '{label}' has {described}.");
            if (task == MlTask.Regression && !values.AllNumeric)
                throw new InvalidDatasetException($"Regression needs a numeric label; '{label}' has non-numeric values.");
            if (task == MlTask.Multiclass && distinct > MaxClasses)
                throw new InvalidDatasetException($"The label '{label}' has {described} values; at most {MaxClasses} classes are supported.");
            return task;
        }
        if (distinct == 2) return MlTask.Binary;
        if (values.AllNumeric)
            return values.AllIntegers && distinct <= MaxIntegerClasses ? MlTask.Multiclass : MlTask.Regression;
        if (distinct > MaxClasses || distinct > 0.5 * values.Count)
            throw new InvalidDatasetException(
                $"The label '{label}' has {described} distinct text values in {values.Count} rows; it looks like an id or free text, not a class.");
        return MlTask.Multiclass;
    }

    /// <summary>Class names in the model's order. Binary: [negative, positive].</summary>
    public static IReadOnlyList<string> Classes(MlTask task, LabelValues values)
    {
        var counts = values.Distinct.Select((v, i) => (v, values.Counts[i])).ToDictionary(x => x.v, x => x.Item2);
        var numeric = counts.Keys.All(v => CellValues.TryNumber(v, out _));
        var ordered = numeric
            ? counts.Keys.OrderBy(v => CellValues.TryNumber(v, out var d) ? d : 0).ToList()
            : counts.Keys.Order(StringComparer.Ordinal).ToList();
        if (task != MlTask.Binary || numeric) return ordered;
        // Positive class: the "true"-like value, else the minority class.
        var positive = ordered.FirstOrDefault(v => CellValues.TryBoolean(v, out var b) && b)
                       ?? ordered.OrderBy(v => counts[v]).ThenByDescending(v => v, StringComparer.Ordinal).First();
        return [ordered.First(v => v != positive), positive];
    }

    /// <summary>Label per row: the class index, or the value for regression.</summary>
    public static float[] Numbers(MlTask task, LabelValues values, IReadOnlyList<string>? classes)
    {
        if (classes is null) return values.Numbers;
        var index = values.Distinct.Select(v => classes.ToList().IndexOf(v)).ToArray();
        return values.Codes.Select(code => (float)index[code]).ToArray();
    }
}
