using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Forecasting;

/// <summary>What reading a file found: the series on their grid, the roles of the columns, and the repairs made.</summary>
internal sealed record SeriesReading(
    SeriesSet Set, string TimeColumn, string Target, string? SeriesColumn, IReadOnlyList<string> Known, IReadOnlyList<string> Past,
    IReadOnlyList<DroppedColumn> Dropped, IReadOnlyList<SeriesProfile> Profiles, IReadOnlyList<string> Notes, int Rows);

/// <summary>
/// Reads a delimited file as one or many time series: finds the time, target and series columns, detects the
/// frequency, and puts each series on the regular grid (duplicates averaged, gaps interpolated), reporting each repair.
/// </summary>
internal static class SeriesReader
{
    private static readonly string[] TargetNames = ["target", "y", "value", "label"];
    /// <summary>A column is of a type when this share of its non-missing cells parse as it.</summary>
    private const double TypedShare = 0.95;
    /// <summary>More of the grid missing than this and the timestamps are not a series at this frequency.</summary>
    private const double MaxGapShare = 0.5;

    public static SeriesReading Read(string path, ForecastSpec spec, double raggedTolerance)
    {
        var file = DelimitedFile.Open(path);
        var names = file.Names;
        // A series is small next to the tables the engine streams: its cells are kept as text to infer the column roles.
        var records = new List<string[]>();
        file.Read((_, row) =>
        {
            var cells = new string[file.Width];
            for (var c = 0; c < cells.Length; c++) cells[c] = row[c].ToString();
            records.Add(cells);
        }, raggedTolerance);
        string[] Cells(int column) => records.Select(r => r[column]).ToArray();
        var time = spec.TimeColumn is { } t ? Find(names, t, "time") : InferTime(names, Cells);
        var notation = TimeNotations.DatesOf(Cells(time)) ?? (TimeNotations.AreYears(Cells(time)) ? TimeNotation.Years : TimeNotation.Dates);
        var numeric = Enumerable.Range(0, names.Count).Where(c => c != time && IsNumeric(Cells(c))).ToList();
        var series = spec.SeriesColumn is { } s ? Find(names, s, "series") : InferSeries(names, Cells, time, numeric);
        if (series == time) throw new InvalidDatasetException($"'{names[time]}' cannot be both the time and the series column.");
        var known = spec.KnownColumns.Select(k => Find(names, k, "known")).Distinct().ToList();
        var target = spec.Target is { } y ? Find(names, y, "target") : InferTarget(names, Cells, numeric.Where(c => c != series && !known.Contains(c)).ToList());
        if (target == time || target == series || !numeric.Contains(target))
            throw new InvalidDatasetException($"The target '{names[target]}' must be a numeric column other than the time and series columns.");
        foreach (var k in known.Where(k => !numeric.Contains(k) || k == target || k == series))
            throw new InvalidDatasetException($"The known column '{names[k]}' must be a numeric column other than the target and series columns.");
        var past = numeric.Where(c => c != target && c != series && !known.Contains(c)).ToList();
        var dropped = Enumerable.Range(0, names.Count).Where(c => c != time && c != series && c != target && !numeric.Contains(c))
            .Select(c => new DroppedColumn(names[c], "not numeric")).ToList();

        var notes = new List<string>();
        if (spec.SeriesColumn is null && series >= 0)
            notes.Add($"'{names[series]}' names the series: timestamps repeat once per value of it.");
        var covariates = known.Concat(past).ToList();
        var rows = ParseRows(records, (time, notation), series, target, covariates, notes);
        var bySeries = rows.GroupBy(r => r.Series).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var frequency = spec.Frequency ?? SeriesCalendar.Detect(bySeries.Select(g => (IReadOnlyList<DateTime>)g.Select(r => r.Time).Distinct().Order().ToList()).ToList())
            ?? throw new InvalidDatasetException(
                $"The timestamps in '{names[time]}' are not regularly spaced at any supported frequency (hourly, daily, business days, weekly, monthly, quarterly, yearly).");
        var calendar = new SeriesCalendar(frequency, rows.Min(r => r.Time));
        var covariateNames = covariates.Select(c => names[c]).ToList();
        var built = bySeries.Select(g => OnGrid(g.Key, g.ToList(), calendar, covariateNames)).ToList();
        foreach (var (data, profile) in built.Where(b => b.Profile.Gaps > MaxGapShare * b.Profile.Points))
            throw new InvalidDatasetException(
                $"{Name(data.Id)} misses {profile.Gaps} of its {profile.Points} {frequency} timestamps; it is too irregular to be a series at this frequency.");
        var repaired = built.Where(b => b.Profile.Gaps + b.Profile.Duplicates + b.Profile.MissingTargets > 0).ToList();
        if (repaired.Count > 0)
            notes.Add($"{repaired.Sum(b => b.Profile.Gaps)} gaps and {repaired.Sum(b => b.Profile.MissingTargets)} missing targets interpolated, " +
                      $"{repaired.Sum(b => b.Profile.Duplicates)} duplicate timestamps averaged.");
        return new SeriesReading(new SeriesSet(frequency, calendar.Anchor, built.Select(b => b.Data).ToList()),
            names[time], names[target], series >= 0 ? names[series] : null, known.Select(k => names[k]).ToList(),
            past.Select(p => names[p]).ToList(), dropped, built.Select(b => b.Profile).ToList(), notes, records.Count);
    }

    public static string Name(string? seriesId) => seriesId is null ? "The series" : $"Series '{seriesId}'";

    private static int Find(IReadOnlyList<string> names, string name, string role)
    {
        var index = names.ToList().FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new InvalidDatasetException(
            $"The {role} column '{name}' is not in the file. Columns: {string.Join(", ", names)}.");
    }

    private static bool IsNumeric(string[] cells) => Share(cells, c => CellValues.TryNumber(c, out _) || CellValues.TryBoolean(c, out _)) >= TypedShare;

    private static double Share(string[] cells, Func<string, bool> parses)
    {
        var present = cells.Where(c => !CellValues.IsMissing(c)).ToList();
        return present.Count == 0 ? 0 : present.Count(parses) / (double)present.Count;
    }

    /// <summary>The one column of dates; without one, the first column of plain years (time usually comes first).</summary>
    private static int InferTime(IReadOnlyList<string> names, Func<int, string[]> cells)
    {
        var dates = Enumerable.Range(0, names.Count).Where(c => TimeNotations.DatesOf(cells(c)) is not null).ToList();
        if (dates.Count == 0 && Enumerable.Range(0, names.Count).FirstOrDefault(c => TimeNotations.AreYears(cells(c)), -1) is >= 0 and var years)
            return years;
        return dates.Count switch
        {
            1 => dates[0],
            0 => throw new InvalidDatasetException(
                $"No column holds dates, so the file is not a time series. Columns: {string.Join(", ", names)}."),
            _ => throw new InvalidDatasetException(
                $"Several columns hold dates ({string.Join(", ", dates.Select(d => names[d]))}); name the time column."),
        };
    }

    /// <summary>
    /// When timestamps repeat, the one non-numeric column that makes (series, time) unique names the series.
    /// </summary>
    private static int InferSeries(IReadOnlyList<string> names, Func<int, string[]> cells, int time, List<int> numeric)
    {
        var times = cells(time);
        if (times.Distinct().Count() == times.Length) return -1;
        var candidates = Enumerable.Range(0, names.Count).Where(c => c != time && !numeric.Contains(c))
            .Where(c =>
            {
                var ids = cells(c);
                var distinct = ids.Distinct().Count();
                return distinct >= 2 && distinct <= ids.Length / 4 && ids.Zip(times).Distinct().Count() >= 0.99 * ids.Length;
            }).ToList();
        return candidates.Count == 1 ? candidates[0] : -1;
    }

    /// <summary>
    /// A column named like a target, else the last numeric column that is not a 0/1 indicator (flags such as
    /// promotions or holidays are inputs of a forecast, rarely what is forecast), else the last numeric column.
    /// </summary>
    private static int InferTarget(IReadOnlyList<string> names, Func<int, string[]> cells, List<int> numeric)
    {
        if (numeric.Count == 0) throw new InvalidDatasetException("No numeric column to forecast.");
        var measured = numeric.Where(c => !IsIndicator(cells(c))).DefaultIfEmpty(numeric[^1]).Last();
        return TargetNames.Select(n => numeric.FirstOrDefault(c => string.Equals(names[c], n, StringComparison.OrdinalIgnoreCase), -1))
            .FirstOrDefault(c => c >= 0, measured);
    }

    private static bool IsIndicator(string[] cells) =>
        cells.Where(c => !CellValues.IsMissing(c)).All(c => CellValues.TryBoolean(c, out _) || (CellValues.TryNumber(c, out var v) && v is 0 or 1));

    private sealed record RawRow(string? Series, DateTime Time, double Target, double[] Covariates);

    private static List<RawRow> ParseRows(IReadOnlyList<string[]> cells, (int Column, TimeNotation Notation) time, int series, int target, List<int> covariates,
        List<string> notes)
    {
        var rows = new List<RawRow>(cells.Count);
        var badTimes = 0;
        foreach (var row in cells)
        {
            if (!TimeNotations.TryRead(row[time.Column], time.Notation, out var at)) { badTimes++; continue; }
            rows.Add(new RawRow(series >= 0 ? row[series] : null, at, Number(row[target]), covariates.Select(c => Number(row[c])).ToArray()));
        }
        if (rows.Count == 0) throw new InvalidDatasetException("No row has a readable timestamp.");
        if (badTimes > 0) notes.Add($"{badTimes} rows without a readable timestamp were skipped.");
        return rows;
    }

    private static double Number(string cell) =>
        CellValues.IsMissing(cell) ? double.NaN
        : CellValues.TryNumber(cell, out var number) ? number
        : CellValues.TryBoolean(cell, out var flag) ? (flag ? 1 : 0)
        : double.NaN;

    private static (SeriesData Data, SeriesProfile Profile) OnGrid(string? id, List<RawRow> rows, SeriesCalendar calendar, List<string> covariateNames)
    {
        var byStep = rows.GroupBy(r => calendar.Index(r.Time)).ToDictionary(g => g.Key, g => g.ToList());
        var start = byStep.Keys.Min();
        var length = (int)(byStep.Keys.Max() - start + 1);
        var values = new double[length];
        var covariates = covariateNames.Select(_ => new double[length]).ToArray();
        var missingTargets = 0;
        for (var i = 0; i < length; i++)
        {
            if (!byStep.TryGetValue(start + i, out var same))
            {
                values[i] = double.NaN;
                foreach (var column in covariates) column[i] = double.NaN;
                continue;
            }
            values[i] = MeanOfPresent(same.Select(r => r.Target));
            if (double.IsNaN(values[i])) missingTargets++;
            for (var c = 0; c < covariates.Length; c++) covariates[c][i] = MeanOfPresent(same.Select(r => r.Covariates[c]));
        }
        if (values.All(double.IsNaN)) throw new InvalidDatasetException($"{Name(id)} has no numeric target value.");
        Interpolate(values);
        foreach (var column in covariates) CarryForward(column);
        var profile = new SeriesProfile
        {
            Id = id, Points = length, Start = calendar.Time(start), End = calendar.Time(start + length - 1),
            Gaps = length - byStep.Count, Duplicates = rows.Count - byStep.Count, MissingTargets = missingTargets,
        };
        var data = new SeriesData(id, start, values, covariateNames.Select((n, c) => (n, covariates[c])).ToDictionary(x => x.n, x => x.Item2));
        return (data, profile);
    }

    private static double MeanOfPresent(IEnumerable<double> values)
    {
        var present = values.Where(v => !double.IsNaN(v)).ToList();
        return present.Count == 0 ? double.NaN : present.Average();
    }

    /// <summary>Linear interpolation between known neighbours; the ends take the nearest known value.</summary>
    private static void Interpolate(double[] values)
    {
        var known = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).ToList();
        for (var k = 0; k < known.Count - 1; k++)
            for (var i = known[k] + 1; i < known[k + 1]; i++)
                values[i] = values[known[k]] + (values[known[k + 1]] - values[known[k]]) * (i - known[k]) / (known[k + 1] - known[k]);
        for (var i = 0; i < known[0]; i++) values[i] = values[known[0]];
        for (var i = known[^1] + 1; i < values.Length; i++) values[i] = values[known[^1]];
    }

    /// <summary>A covariate keeps its last value through a gap (the first known value before it starts); all-missing is 0.</summary>
    private static void CarryForward(double[] values)
    {
        var first = Array.FindIndex(values, v => !double.IsNaN(v));
        if (first < 0) { Array.Fill(values, 0); return; }
        for (var i = 0; i < values.Length; i++)
            if (double.IsNaN(values[i])) values[i] = i < first ? values[first] : values[i - 1];
    }
}
