using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Datasets;

/// <summary>
/// The spec of a dataset's run, first found wins per field: blob metadata of its newest file (<see cref="SpecMetadata"/>),
/// then the sidecar <c>datasets/{dataset}/automl.json</c>, then the app settings (AutoMl:Metric, AutoMl:BudgetSeconds,
/// AutoMl:ParallelTrials, AutoMl:Seed, AutoMl:DataFiles), then the engine's own inference (and appending every file).
/// A forecast is never inferred: only task=forecast selects it, and its settings (time column, horizon, series and
/// known columns) need it.
/// </summary>
public sealed class TrainingSpecResolver(DatasetStore datasets, IConfiguration configuration)
{
    private const string SettingsSource = "App settings (AutoMl__*)";

    /// <returns>The spec, with <see cref="DatasetSpec.DataFiles"/> always set.</returns>
    public async Task<DatasetSpec> ResolveAsync(string dataset, IDictionary<string, string> metadata, CancellationToken ct = default)
    {
        var fromMetadata = TrainingSpecRules.Validate(SpecMetadata.Read(metadata), "Blob metadata");
        var sidecar = await ReadSidecarAsync(dataset, ct);
        var (training, side) = (fromMetadata.Training, sidecar?.Training);
        var settings = configuration.GetSection("AutoMl");
        return TrainingSpecRules.ValidateResolved(new DatasetSpec
        {
            Training = new TrainingSpec
            {
                Label = training.Label ?? side?.Label,
                Task = training.Task ?? side?.Task,
                Metric = training.Metric ?? side?.Metric ?? (settings["Metric"] is { Length: > 0 } metric ? metric : null),
                BudgetSeconds = training.BudgetSeconds ?? side?.BudgetSeconds ?? settings.GetValue<int?>("BudgetSeconds"),
                Seed = training.Seed ?? side?.Seed ?? settings.GetValue<int?>("Seed"),
                ParallelTrials = training.ParallelTrials ?? side?.ParallelTrials ?? settings.GetValue<int?>("ParallelTrials"),
                TimeColumn = training.TimeColumn ?? side?.TimeColumn,
                Horizon = training.Horizon ?? side?.Horizon,
                SeriesColumn = training.SeriesColumn ?? side?.SeriesColumn,
                KnownColumns = training.KnownColumns ?? side?.KnownColumns,
            },
            DataFiles = fromMetadata.DataFiles ?? sidecar?.DataFiles
                ?? (settings["DataFiles"] is { Length: > 0 } files ? SpecMetadata.Choice<DataFiles>(files, "App setting AutoMl__DataFiles") : DataFiles.Append),
        }, SettingsSource);
    }

    /// <summary>The sidecar's spec (its fields flat, as in <c>{"label": "y", "dataFiles": "replace"}</c>); null when there is none.</summary>
    public async Task<DatasetSpec?> ReadSidecarAsync(string dataset, CancellationToken ct = default)
    {
        var source = $"datasets/{dataset}/{DatasetBlob.SpecFileName}";
        try
        {
            if ((await BlobJson.ReadAsync<JsonElement>(datasets.Sidecar(dataset), ct))?.Value is not { } json)
                return null;
            if (json.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("a JSON object is expected.");
            return TrainingSpecRules.Validate(new DatasetSpec
            {
                Training = json.Deserialize<TrainingSpec>(BlobJson.Options)!,
                DataFiles = json.Deserialize<SidecarFiles>(BlobJson.Options)!.DataFiles,
            }, source);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDatasetException($"{source} is not a valid spec: {e.Message}");
        }
    }

    /// <summary>The sidecar's own field besides the training spec's.</summary>
    private sealed record SidecarFiles(DataFiles? DataFiles);
}
