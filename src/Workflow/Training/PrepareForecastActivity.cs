using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Reads the dataset's files the run was started for as one series (several files, like monthly appends, need the same
/// header) and puts its series on their grid (ForecastEngine.Prepare), storing the profile and the series for the
/// fold backtests. Unless the spec says otherwise, the search keeps enough
/// candidates going for their folds to fill the deployment's slots, and one more, so that a worker finds the next
/// fold waiting while the orchestration hears of a finished candidate.
/// </summary>
public sealed class PrepareForecastActivity(DatasetStore datasets, RunWorkspace workspace, ForecastEngine engine, Cluster cluster)
    : PrepareActivity<ForecastProfile>(datasets)
{
    protected override async Task<ForecastProfile> PrepareAsync(PrepareInput input, IReadOnlyDictionary<int, string> paths, string scratch)
    {
        var request = input.Request;
        var source = paths.Count == 1 ? paths.Values.Single() : Concatenated(paths, request.Files, Path.Combine(scratch, "series.csv"));
        var profile = await workspace.RunStepAsync(input.RunId, [],
            folder => engine.Prepare(source, ForecastSpec.From(request.Spec), folder, input.BudgetStartedAt), _ => ForecastEngine.PrepareFiles.Writes);
        var width = Math.Min(TrainingSpecRules.MaxParallelTrials, (cluster.Slots + profile.Folds - 1) / profile.Folds + 1);
        return profile with { ParallelCandidates = request.Spec.ParallelTrials ?? width };
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
