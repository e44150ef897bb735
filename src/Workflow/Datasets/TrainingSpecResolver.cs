using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// The training spec of an upload, first found wins per field: blob metadata (<see cref="SpecMetadata"/>), then the
/// sidecar <c>datasets/{dataset}/automl.json</c>, then the app settings (AutoMl:Metric, AutoMl:BudgetSeconds,
/// AutoMl:ParallelTrials, AutoMl:Seed), then the engine's own inference. A forecast is never inferred: only
/// task=forecast selects it, and its settings (time column, horizon, series and known columns) need it.
/// </summary>
public sealed class TrainingSpecResolver(DatasetStore datasets, IConfiguration configuration)
{
    public async Task<TrainingSpec> ResolveAsync(string dataset, IDictionary<string, string> metadata, CancellationToken ct = default)
    {
        var fromMetadata = TrainingSpecRules.Validate(SpecMetadata.Read(metadata), "Blob metadata");
        var sidecar = await ReadSidecarAsync(dataset, ct) is { } read
            ? TrainingSpecRules.Validate(read, $"datasets/{dataset}/{DatasetBlob.SpecFileName}")
            : null;
        var settings = configuration.GetSection("AutoMl");
        return TrainingSpecRules.ValidateResolved(new TrainingSpec
        {
            Label = fromMetadata.Label ?? sidecar?.Label,
            Task = fromMetadata.Task ?? sidecar?.Task,
            Metric = fromMetadata.Metric ?? sidecar?.Metric ?? (settings["Metric"] is { Length: > 0 } metric ? metric : null),
            BudgetSeconds = fromMetadata.BudgetSeconds ?? sidecar?.BudgetSeconds ?? settings.GetValue<int?>("BudgetSeconds"),
            Seed = fromMetadata.Seed ?? sidecar?.Seed ?? settings.GetValue<int?>("Seed"),
            ParallelTrials = fromMetadata.ParallelTrials ?? sidecar?.ParallelTrials ?? settings.GetValue<int?>("ParallelTrials"),
            TimeColumn = fromMetadata.TimeColumn ?? sidecar?.TimeColumn,
            Horizon = fromMetadata.Horizon ?? sidecar?.Horizon,
            SeriesColumn = fromMetadata.SeriesColumn ?? sidecar?.SeriesColumn,
            KnownColumns = fromMetadata.KnownColumns ?? sidecar?.KnownColumns,
        }, "App settings (AutoMl__*)");
    }

    private async Task<TrainingSpec?> ReadSidecarAsync(string dataset, CancellationToken ct)
    {
        try
        {
            return (await BlobJson.ReadAsync<TrainingSpec>(datasets.Sidecar(dataset), ct))?.Value;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDatasetException($"datasets/{dataset}/{DatasetBlob.SpecFileName} is not a valid spec: {e.Message}");
        }
    }
}
