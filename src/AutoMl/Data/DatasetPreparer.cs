using System.Diagnostics;
using nietras.SeparatedValues;

namespace Serverless.AutoMl.Data;

/// <summary>
/// Streams a delimited file twice: once for a sample of raw values to infer the columns from (and the record count),
/// once to read the rows it keeps into compact typed columns (a random sample when the file holds more rows than
/// memory allows). Then it decides the label, task and metric, the evaluation (k-fold or holdout) and the training
/// sample sizes the search steps through, and writes the prepared table in stratified order.
/// </summary>
internal sealed class DatasetPreparer(AutoMlOptions options)
{
    private const int MinRows = 10;
    private const int DefaultBudgetSeconds = 120;
    private const int DefaultSeed = 1;
    /// <summary>Raw values sampled to infer column kinds: enough rows to see rare formats, bounded for wide files.</summary>
    private const int InferenceRows = 20_000;
    private const int InferenceCells = 2_000_000;
    /// <summary>Share of the budget reading may take; past it the rows read so far are kept.</summary>
    private const double ReadShare = 0.3;
    /// <summary>Share of memory the kept rows and their featurized copies may use.</summary>
    private const double MemoryShare = 0.25;
    /// <summary>Featurized copies of the rows a trial or refit holds at once.</summary>
    private const int FeaturizedCopies = 3;
    /// <summary>Skewness above which a non-negative regression label is log-transformed as a searched choice.</summary>
    private const double SkewThreshold = 0.75;

    public DatasetProfile Prepare(string csvPath, TrainingSpec spec, string workDir, DateTime startedAt, Stopwatch clock)
    {
        var budget = spec.BudgetSeconds ?? DefaultBudgetSeconds;
        var seed = spec.Seed ?? DefaultSeed;
        var notes = new List<string>();
        var file = DelimitedFile.Open(csvPath);
        if (file.Encoding.CodePage != 65001)
            notes.Add($"The file is not UTF-8; it was read as {file.Encoding.WebName}.");
        var labelIndex = LabelInference.FindLabel(file.Names, spec.Label);
        var label = file.Names[labelIndex];

        var (sample, records) = ReadSample(file, seed);
        var guesses = Enumerable.Range(0, file.Width).Where(c => c != labelIndex)
            .Select(c => (Index: c, Name: file.Names[c], Guess: ColumnInference.Guess(file.Names[c], sample.Select(r => r[c]).ToList(), file.Separator)))
            .ToList();
        var readable = guesses.Where(g => g.Guess.DropReason is null).ToList();
        var keep = Math.Min(1, MaxRows(readable, sample) / Math.Max(1.0, records));
        var (columns, labels, stoppedAt) = ReadTyped(file, labelIndex, readable.Select(g => (g.Index, g.Name, g.Guess)).ToList(),
            keep, seed, clock, ReadShare * budget, records);
        labels.Seal();
        var rows = labels.Count;
        if (rows < MinRows)
            throw new InvalidDatasetException($"The file has {rows} rows with a value for '{label}'; at least {MinRows} are needed.");
        if (keep < 1 || stoppedAt < records)
            notes.Add($"The search uses {rows:N0} of the file's {records:N0} rows, a random sample" +
                      (stoppedAt < records ? $" of the first {stoppedAt:N0} (reading stopped at {ReadShare:P0} of the budget)." : " (memory)."));

        var task = LabelInference.InferTask(label, labels, spec.Task);
        var metric = MetricCatalog.Resolve(task, spec.Metric);
        var classes = task == MlTask.Regression ? null : LabelInference.Classes(task, labels);
        var labelNumbers = LabelInference.Numbers(task, labels, classes);
        var order = StratifiedOrder.Of(labelNumbers, task, seed);
        labelNumbers = order.Select(r => labelNumbers[r]).ToArray();

        var kept = new List<ColumnBuffer>();
        var profiles = new List<ColumnProfile>();
        var read = columns.ToDictionary(b => b.Name);
        foreach (var (_, name, guess) in guesses)
        {
            if (!read.TryGetValue(name, out var buffer))
            {
                profiles.Add(new ColumnProfile(name, guess.Kind, 0, sample.Count, true, guess.DropReason));
                continue;
            }
            var constant = buffer.Distinct <= 1;
            profiles.Add(buffer.Profile(constant ? "constant" : null));
            if (constant) continue;
            buffer.Reorder(order);
            kept.Add(buffer);
        }
        if (kept.Count == 0)
            throw new InvalidDatasetException($"No usable feature column besides '{label}': every other column is constant or an id.");
        var (features, values) = Layout(kept);

        var treesPerRound = CostModel.TreesPerRound(task, classes?.Count ?? 1);
        var cores = Math.Min(Math.Max(1, spec.ParallelTrials ?? options.MaxParallelTrials), options.MaxParallelTrials);
        var plan = EvaluationPlan.For(rows, FeatureWidth.NonZerosPerRow(features), treesPerRound, budget, cores, options);
        var parallel = ParallelTrials(spec, plan.SampleSizes[0] + plan.EvaluationRows / plan.Folds, features, notes);
        notes.AddRange(plan.Notes);
        var folds = new byte[rows];
        for (var r = 0; r < rows; r++) folds[r] = (byte)(plan.Folds == 1 ? (r < plan.EvaluationRows ? 0 : 1) : r % plan.Folds);

        Directory.CreateDirectory(workDir);
        new PreparedTable(values, labelNumbers, folds).Write(WorkDir.DataPath(workDir));
        WorkDir.WriteValues(WorkDir.LabelsPath(workDir), labelNumbers.Take(plan.EvaluationRows).Select(l => (double)l).ToArray());

        var positives = task == MlTask.Binary ? labelNumbers.Count(l => l == 1) / (double)rows : (double?)null;
        return new DatasetProfile
        {
            Label = label, Task = task, Metric = metric, Rows = rows, SourceRows = (int)Math.Min(int.MaxValue, records),
            Columns = profiles,
            Schema = new ModelSchema
            {
                Label = label, Task = task, Columns = kept.Select(b => b.Describe()).ToList(), Classes = classes,
                DroppedColumns = profiles.Where(p => p.Dropped).Select(p => p.Name).ToList(),
            },
            Features = features,
            Separator = file.Separator.ToString(), HasHeader = file.HasHeader, Encoding = file.Encoding.WebName,
            Folds = plan.Folds, EvaluationRows = plan.EvaluationRows, SampleSizes = plan.SampleSizes,
            BudgetSeconds = budget, Seed = seed, StartedAtUtc = startedAt,
            ParallelTrials = parallel,
            TrialTimeoutSeconds = 0, PrepareSeconds = 0, // the engine sets both once the first folds are built
            MemoryBytes = options.MemoryPerTrialBytes is { } slotBytes ? slotBytes * parallel : options.MemoryBytes,
            ThreadsPerTrial = options.ThreadsPerTrial,
            LabelMin = task == MlTask.Regression ? labelNumbers.Min() : null,
            SkewedTarget = task == MlTask.Regression && labelNumbers.Min() >= 0 && Skewness(labelNumbers) > SkewThreshold,
            PositiveRatio = positives,
            Notes = notes,
        };
    }

    /// <summary>A uniform random sample of records as strings (every record of a small file), and the record count.</summary>
    private (List<string[]> Sample, long Records) ReadSample(DelimitedFile file, int seed)
    {
        var wanted = Math.Min(InferenceRows, Math.Max(100, InferenceCells / file.Width));
        var probability = Math.Min(1, (double)wanted / Math.Max(1, file.Lines));
        var sample = new List<string[]>();
        var records = file.Read((record, row) =>
        {
            if (!RowSampling.Keeps(seed, record, probability)) return;
            var values = new string[file.Width];
            for (var i = 0; i < values.Length; i++) values[i] = row[i].ToString();
            sample.Add(values);
        }, options.RaggedRowTolerance);
        if (records == 0) throw new InvalidDatasetException("The file has no data rows.");
        return (sample, records);
    }

    /// <summary>
    /// Reads the kept records into typed columns (a record is kept with probability keep); records without a label
    /// are skipped. Stops early when reading takes more than its share of the budget.
    /// </summary>
    private (List<ColumnBuffer> Columns, LabelValues Labels, long StoppedAt) ReadTyped(DelimitedFile file, int labelIndex,
        List<(int Index, string Name, ColumnGuess Guess)> read, double keep, int seed, Stopwatch clock, double seconds, long records)
    {
        var capacity = (int)Math.Min(int.MaxValue / 2, keep * records * 1.05 + 16);
        var columns = read.Select(c => ColumnBuffer.For(c.Name, c.Guess, capacity)).ToList();
        var indexes = read.Select(c => c.Index).ToArray();
        var labels = new LabelValues(capacity);
        var stoppedAt = records;
        var deadline = TimeSpan.FromSeconds(seconds);
        try
        {
            file.Read((record, row) =>
            {
                if ((record & 0xFFF) == 0 && clock.Elapsed > deadline)
                {
                    stoppedAt = record;
                    throw new ReadStopped();
                }
                if (!RowSampling.Keeps(seed + 1, record, keep)) return;
                var labelCell = row[labelIndex].Span;
                if (CellValues.IsMissing(labelCell)) return;
                labels.Add(labelCell);
                for (var c = 0; c < indexes.Length; c++) columns[c].Add(row[indexes[c]].Span);
            }, options.RaggedRowTolerance);
        }
        catch (ReadStopped)
        {
            // Rows read so far are a random sample of the file's first part.
        }
        return (columns, labels, stoppedAt);
    }

    private sealed class ReadStopped : Exception;

    /// <summary>Rows whose compact columns and featurized copies fit in the memory share.</summary>
    private double MaxRows(List<(int Index, string Name, ColumnGuess Guess)> read, List<string[]> sample)
    {
        var textLength = read.Where(c => c.Guess.Kind == ColumnKind.Text)
            .Sum(c => sample.Count == 0 ? 0 : sample.Average(r => (double)r[c.Index].Length));
        var compact = 4.0 * read.Count + 4 * read.Count(c => c.Guess.Kind == ColumnKind.DateTime) + 2 * textLength;
        var featurized = 8 * (read.Count + 1.2 * textLength) + 64;
        return Math.Min(options.MaxRows, MemoryShare * options.MemoryBytes / (compact + FeaturizedCopies * featurized));
    }

    /// <summary>
    /// Slots running trials at once: as asked (or all slots), but no more than the slots (<see
    /// cref="AutoMlOptions.MaxParallelTrials"/>), or than memory allows for trials on the first training sample (larger
    /// samples that would not fit are skipped trial by trial). Memory is this machine's, shared by the trials, or, when
    /// the host spreads trials over machines, each slot's share: a trial needing two slots' memory halves the slots.
    /// </summary>
    private int ParallelTrials(TrainingSpec spec, int trialRows, IReadOnlyList<FeatureColumn> features, List<string> notes)
    {
        var requested = Math.Max(1, spec.ParallelTrials ?? options.MaxParallelTrials);
        var trialBytes = FeaturizedCopies * FeatureWidth.BytesPerRow(features) * trialRows;
        var byMemory = options.MemoryPerTrialBytes is { } perTrial
            ? (int)Math.Max(1, options.MaxParallelTrials * Math.Min(1, MemoryShare * perTrial / trialBytes))
            : (int)Math.Max(1, MemoryShare * options.MemoryBytes / trialBytes);
        var parallel = Math.Min(requested, Math.Min(options.MaxParallelTrials, byMemory));
        if (parallel < requested)
            notes.Add($"{parallel} trials run at once instead of the {requested} asked for: " +
                      (parallel == options.MaxParallelTrials ? "there are no more trial slots." : "more would not fit in memory."));
        return parallel;
    }

    private static (List<FeatureColumn> Features, List<FeatureValues> Values) Layout(List<ColumnBuffer> columns)
    {
        var features = new List<FeatureColumn>();
        var values = new List<FeatureValues>();
        foreach (var column in columns)
        {
            var hasMissing = column.Missing > 0;
            switch (column)
            {
                case NumberBuffer numbers:
                    features.Add(new FeatureColumn($"f{features.Count}", column.Name, FeatureKind.Number, column.Distinct, hasMissing));
                    values.Add(new NumberValues(numbers.Values));
                    break;
                case DateBuffer dates:
                    foreach (var part in DateParts.For(dates.HasTimeOfDay))
                    {
                        features.Add(new FeatureColumn($"f{features.Count}", column.Name, FeatureKind.Number, column.Distinct, hasMissing, part));
                        values.Add(new NumberValues(dates.Ticks.Select(t => DateParts.Value(
                            t == DateBuffer.MissingTicks ? null : new DateTime(t, DateTimeKind.Utc), part)).ToArray()));
                    }
                    break;
                case CodedBuffer coded:
                    var kind = column.Kind == ColumnKind.Text ? FeatureKind.Text : FeatureKind.Category;
                    features.Add(new FeatureColumn($"f{features.Count}", column.Name, kind, column.Distinct, hasMissing)
                    {
                        AverageLength = kind == FeatureKind.Text ? Math.Round(coded.AverageLength, 1) : null,
                    });
                    values.Add(new CodedValues(coded.Codes, coded.Levels));
                    break;
            }
        }
        return (features, values);
    }

    private static double Skewness(float[] values)
    {
        var mean = values.Average(v => (double)v);
        var variance = values.Average(v => (v - mean) * (v - mean));
        return variance == 0 ? 0 : values.Average(v => Math.Pow(v - mean, 3)) / Math.Pow(variance, 1.5);
    }
}

/// <summary>Deterministic per-record sampling: record i is kept when a hash of (seed, i) falls below the probability.</summary>
internal static class RowSampling
{
    public static bool Keeps(int seed, long record, double probability)
    {
        if (probability >= 1) return true;
        var x = (ulong)record + 0x9E3779B97F4A7C15UL * (ulong)(seed + 1);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53)) < probability;
    }
}
