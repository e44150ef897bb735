using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Reads the dataset's files the run was started for (each at its version; several files, like monthly appends, are
/// read as one and need the same header) and puts its series on their grid (ForecastEngine.Prepare),
/// storing the profile and the series for the fold backtests. Unless the spec says otherwise, the search keeps enough
/// candidates going for their folds to fill the deployment's slots, and one more, so that a worker finds the next
/// fold waiting while the orchestration hears of a finished candidate.
/// </summary>
public sealed class PrepareForecastActivity(DatasetStore datasets, RunWorkspace workspace, ForecastEngine engine, Cluster cluster)
    : WorkflowActivity<PrepareInput, ForecastProfile>
{
    protected override async Task<ForecastProfile> RunCoreAsync(PrepareInput input)
    {
        var request = input.Request;
        if (request.SpecError is not null)
            throw new InvalidDatasetException(request.SpecError);
        // A forecast ranks by MASE; any other metric asked for is refused with the one it takes.
        MetricCatalog.Resolve(MlTask.Forecast, request.Spec.Metric);
        var folder = Directory.CreateTempSubdirectory($"{input.RunId}-").FullName;
        try
        {
            var paths = await datasets.DownloadAsync(request.Dataset, request.Files, Enumerable.Range(0, request.Files.Count), folder);
            var source = paths.Count == 1 ? paths.Values.Single() : Concatenated(paths, request.Files, Path.Combine(folder, "series.csv"));
            var profile = await workspace.RunStepAsync(input.RunId, [],
                folder => engine.Prepare(source, ForecastSpec.From(request.Spec), folder), _ => ForecastEngine.PrepareFiles.Writes);
            var width = Math.Min(TrainingSpecRules.MaxParallelTrials, (cluster.Slots + profile.Folds - 1) / profile.Folds + 1);
            return profile with { ParallelCandidates = request.Spec.ParallelTrials ?? width };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The files one after the other under the first one's header (the others' headers must be the same line).</summary>
    private static string Concatenated(IReadOnlyDictionary<int, string> paths, IReadOnlyList<SourceFile> files, string target)
    {
        using var output = new StreamWriter(target);
        var (first, header) = (-1, "");
        foreach (var (position, path) in paths)
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var line = reader.ReadLine() ?? "";
            if (first < 0)
            {
                (first, header) = (position, line);
                output.WriteLine(line);
            }
            else if (!string.Equals(line.Trim(), header.Trim(), StringComparison.OrdinalIgnoreCase))
                throw new InvalidDatasetException(
                    $"'{files[position].Name}' does not have the header of '{files[first].Name}' ({header.Trim()}), so its rows cannot continue the series.");
            while (reader.ReadLine() is { } row)
                output.WriteLine(row);
        }
        return target;
    }
}
