using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Reads the upload it was started for (that exact version) and puts its series on their grid (ForecastEngine.Prepare),
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
        var source = Path.Combine(Path.GetTempPath(), $"{input.RunId}-{Guid.NewGuid():N}{Path.GetExtension(request.BlobName)}");
        try
        {
            await PrepareDatasetActivity.DownloadAsync(datasets, request, source);
            var profile = await workspace.RunStepAsync(input.RunId, [],
                folder => engine.Prepare(source, ForecastSpec.From(request.Spec), folder), _ => ForecastEngine.PrepareFiles.Writes);
            var width = Math.Min(TrainingSpecRules.MaxParallelTrials, (cluster.Slots + profile.Folds - 1) / profile.Folds + 1);
            return profile with { ParallelCandidates = request.Spec.ParallelTrials ?? width };
        }
        finally
        {
            File.Delete(source);
        }
    }
}
