namespace Serverless.AutoMl.Data;

/// <summary>Reads a delimited file, infers everything the search needs and writes the prepared data.</summary>
internal sealed class DatasetPreparer(AutoMlOptions options)
{
    private const int MinRows = 10;
    private const int DefaultBudgetSeconds = 120;
    private const int DefaultSeed = 1;

    public DatasetProfile Prepare(string csvPath, TrainingSpec spec, string workDir)
    {
        var file = DelimitedFile.Read(csvPath, options.RaggedRowTolerance);
        var labelIndex = LabelInference.FindLabel(file.Names, spec.Label);
        var label = file.Names[labelIndex];
        var rows = file.Rows.Where(r => !CellValues.IsMissing(r[labelIndex])).ToList();
        if (rows.Count < MinRows)
            throw new InvalidDatasetException(
                $"The file has {rows.Count} rows with a value for '{label}'; at least {MinRows} are needed.");
        var labelValues = rows.Select(r => r[labelIndex].Trim()).ToList();
        var task = LabelInference.InferTask(label, labelValues, spec.Task);
        var metric = MetricCatalog.Resolve(task, spec.Metric);
        var classes = task == MlTask.Regression ? null : LabelInference.Classes(task, labelValues);
        var labels = labelValues.Select(v => LabelNumber(v, classes)).ToArray();

        var inferred = Enumerable.Range(0, file.Names.Count).Where(c => c != labelIndex)
            .Select(c => ColumnInference.Infer(file.Names[c], rows.Select(r => r[c]).ToList())).ToList();
        var columns = inferred.Select(x => x.Column).OfType<ModelColumn>().ToList();
        var profiles = inferred.Select(x => x.Profile).ToList();
        if (columns.Count == 0)
            throw new InvalidDatasetException(
                $"No usable feature column besides '{label}': every other column is constant or an id.");
        var features = RowEncoder.Layout(columns, profiles);
        var budget = spec.BudgetSeconds ?? DefaultBudgetSeconds;
        var folds = FoldsFor(rows.Count, features, classes?.Count ?? 1, task, budget);
        // A holdout validates on fold 0 of a 5-way split (20% of the rows).
        var assignment = FoldAssignment.Stratified(labels, folds == 1 ? options.Folds : folds, spec.Seed ?? DefaultSeed);

        Directory.CreateDirectory(workDir);
        WritePreparedData(workDir, file.Names, rows, new RowEncoder(columns, features), task, labels, assignment);
        WorkDir.WriteDoubles(WorkDir.LabelsPath(workDir), labels);

        var profile = new DatasetProfile
        {
            Label = label, Task = task, Metric = metric, Rows = rows.Count,
            Columns = profiles,
            Schema = new ModelSchema
            {
                Label = label, Task = task, Columns = columns, Classes = classes,
                DroppedColumns = profiles.Where(p => p.Dropped).Select(p => p.Name).ToList(),
            },
            Features = features,
            Separator = file.Separator.ToString(), HasHeader = file.HasHeader,
            Folds = folds,
            BudgetSeconds = budget, Seed = spec.Seed ?? DefaultSeed,
            ParallelTrials = Math.Max(1, spec.ParallelTrials ?? Environment.ProcessorCount),
            TrialTimeoutSeconds = Math.Max(5, 0.25 * budget),
            PrepareSeconds = 0, // the engine sets it once the folds are built too
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            ThreadsPerTrial = options.ThreadsPerTrial,
            LabelMin = task == MlTask.Regression ? labels.Min() : null,
        };
        WorkDir.WriteJson(WorkDir.ProfilePath(workDir), profile);
        return profile;
    }

    /// <summary>Cross-validation folds the budget affords: the configured count, 3, or 1 (holdout).</summary>
    private int FoldsFor(int rows, IReadOnlyList<FeatureColumn> features, int classes, MlTask task, int budget)
    {
        if (rows > options.HoldoutAboveRows) return 1;
        var values = (double)rows * FeatureWidth.ValuesPerRow(features) * (task == MlTask.Multiclass ? classes : 1);
        var perSecond = values / Math.Max(1, budget);
        return perSecond <= options.FullCvCellsPerSecond ? options.Folds : perSecond <= options.ReducedCvCellsPerSecond ? 3 : 1;
    }

    private static double LabelNumber(string value, IReadOnlyList<string>? classes)
    {
        if (classes is not null) return classes.ToList().IndexOf(value);
        return CellValues.TryNumber(value, out var number) ? number : throw new InvalidDatasetException(
            $"The regression label has a non-numeric value '{value}'.");
    }

    private static void WritePreparedData(string workDir, IReadOnlyList<string> names, List<string[]> rows,
        RowEncoder encoder, MlTask task, double[] labels, int[] folds)
    {
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        WorkDir.WriteAtomically(WorkDir.DataPath(workDir), stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.WriteLine(string.Join('\t', encoder.Features.Select(f => f.Name).Concat(PreparedData.ExtraColumns)));
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var values = encoder.Encode(name => row[index[name]], strict: false).Select(RowEncoder.Format);
                var label = task == MlTask.Binary ? (labels[r] == 1 ? "true" : "false") : CellValues.Format(labels[r]);
                writer.WriteLine(string.Join('\t', values.Append(label).Append(folds[r].ToString()).Append(r.ToString())));
            }
        });
    }
}
