using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Blends, refits and calibrates the best of a forecast's search (ForecastEngine.Finish), then publishes the forecaster
/// as a new version in the registry. Its registry card is a model card (task forecast, metric mase, the backtest MASE
/// as score) carrying the forecaster's own card, so the registry's gate applies as it is: on the same data the lower
/// backtest MASE wins, newer data wins otherwise.
/// </summary>
public sealed class DeployForecasterActivity(RunWorkspace workspace, ForecastEngine engine, ModelRegistry registry)
    : WorkflowActivity<DeployForecasterInput, DeployOutput>
{
    protected override async Task<DeployOutput> RunCoreAsync(DeployForecasterInput input)
    {
        var request = input.Request;
        var (forecast, packagePath) = await workspace.RunStepAsync(input.RunId, ForecastEngine.FinishFiles(input.Profile, input.Candidates).Reads,
            folder =>
            {
                var path = Path.Combine(folder, DeployChampionActivity.ModelFileName);
                return (engine.Finish(folder, input.Candidates, path), path);
            }, _ => []);
        var version = ModelRegistry.VersionFor(input.RunId, input.StartedAt);
        var card = DeployChampionActivity.Deployed(RegistryCard(forecast, input.Profile, input.Candidates), request, input.RunId, version, input.StartedAt);
        // Rows of new files extend the series past what the champion saw: they are the data to forecast from, not rows
        // to compare on, so on new files the challenger wins (on the champion's own files, the lower backtest MASE).
        var outcome = await registry.DeployAsync(request.Dataset, version, packagePath, card, request.DataLastModified,
            (_, _) => Task.FromResult<RowComparison?>(null));
        return new DeployOutput(version, outcome.Promoted, outcome.Reason, card with { Forecast = forecast.WithoutCharts() });
    }

    /// <summary>
    /// The model card of a forecaster: what a caller may send as its columns (the time column, the series ids, the
    /// known columns with their ranges), the backtest as its metrics, and its own card in full.
    /// </summary>
    private static ModelCard RegistryCard(ForecastCard forecast, ForecastProfile profile, IReadOnlyList<CandidateResult> candidates)
    {
        var metric = MetricCatalog.Default(MlTask.Forecast);
        List<ModelColumn> columns = [new() { Name = forecast.TimeColumn, Kind = ColumnKind.DateTime }];
        if (forecast.SeriesColumn is { } series)
            columns.Add(new() { Name = series, Kind = ColumnKind.Categorical, Values = [.. forecast.Input.Series.Select(s => s.Id ?? "")] });
        columns.AddRange(forecast.Input.KnownColumns.Select(k => new ModelColumn { Name = k.Name, Kind = ColumnKind.Numeric, Min = k.Min, Max = k.Max }));
        var metrics = new Dictionary<string, double>
        {
            [metric] = forecast.Backtest.Mase, ["mae"] = forecast.Backtest.Mae, ["rmse"] = forecast.Backtest.Rmse, ["smape"] = forecast.Backtest.Smape,
        };
        if (forecast.Coverage.Coverage80 is { } coverage80) metrics["coverage80"] = coverage80;
        if (forecast.Coverage.Coverage95 is { } coverage95) metrics["coverage95"] = coverage95;
        return new ModelCard
        {
            Schema = new ModelSchema
            {
                Label = forecast.Target, Task = MlTask.Forecast, Columns = columns,
                DroppedColumns = [.. profile.PastColumns, .. profile.DroppedColumns.Select(d => d.Name)],
            },
            Metric = metric,
            CvScore = forecast.Backtest.Mase,
            Metrics = metrics,
            Learner = forecast.Description,
            Rows = profile.Rows,
            SourceRows = profile.Rows,
            Trials = candidates.Count,
            TrialsSucceeded = candidates.Count(c => c.Mase is not null),
            Notes = forecast.Notes,
            Forecast = forecast,
        };
    }
}
