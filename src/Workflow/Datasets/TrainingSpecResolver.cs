using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Training;

/// <summary>
/// The training spec of an upload, first found wins per field: blob metadata (label, task, metric, budgetseconds,
/// seed, paralleltrials), then the sidecar <c>datasets/{dataset}/automl.json</c>, then the app settings
/// (AutoMl:Metric, AutoMl:BudgetSeconds, AutoMl:ParallelTrials, AutoMl:Seed), then the engine's own inference.
/// </summary>
public sealed class TrainingSpecResolver(Containers containers, IConfiguration configuration)
{
    public async Task<TrainingSpec> ResolveAsync(string dataset, IDictionary<string, string> metadata, CancellationToken ct = default)
    {
        var fromMetadata = FromMetadata(new Dictionary<string, string>(metadata, StringComparer.OrdinalIgnoreCase));
        var sidecar = await ReadSidecarAsync(dataset, ct);
        var settings = configuration.GetSection("AutoMl");
        return new TrainingSpec
        {
            Label = fromMetadata.Label ?? sidecar?.Label,
            Task = fromMetadata.Task ?? sidecar?.Task,
            Metric = fromMetadata.Metric ?? sidecar?.Metric ?? (settings["Metric"] is { Length: > 0 } metric ? metric : null),
            BudgetSeconds = fromMetadata.BudgetSeconds ?? sidecar?.BudgetSeconds ?? settings.GetValue<int?>("BudgetSeconds"),
            Seed = fromMetadata.Seed ?? sidecar?.Seed ?? settings.GetValue<int?>("Seed"),
            ParallelTrials = fromMetadata.ParallelTrials ?? sidecar?.ParallelTrials ?? settings.GetValue<int?>("ParallelTrials"),
        };
    }

    async Task<TrainingSpec?> ReadSidecarAsync(string dataset, CancellationToken ct)
    {
        try
        {
            return (await BlobJson.ReadAsync<TrainingSpec>(containers.Datasets.GetBlobClient($"{dataset}/{DatasetBlob.SpecFileName}"), ct))?.Value;
        }
        catch (JsonException e)
        {
            throw new InvalidDatasetException($"datasets/{dataset}/{DatasetBlob.SpecFileName} is not a valid spec: {e.Message}");
        }
    }

    static TrainingSpec FromMetadata(Dictionary<string, string> metadata) => new()
    {
        Label = Text(metadata, "label"),
        Metric = Text(metadata, "metric"),
        Task = Text(metadata, "task") is { } task
            ? Enum.TryParse<MlTask>(task, ignoreCase: true, out var parsed) && !int.TryParse(task, out _)
                ? parsed
                : throw new InvalidDatasetException($"Blob metadata task='{task}' is not one of binary, multiclass, regression.")
            : null,
        BudgetSeconds = Number(metadata, "budgetseconds"),
        Seed = Number(metadata, "seed"),
        ParallelTrials = Number(metadata, "paralleltrials"),
    };

    static string? Text(Dictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    static int? Number(Dictionary<string, string> metadata, string key) => Text(metadata, key) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        var text => throw new InvalidDatasetException($"Blob metadata {key}='{text}' is not a positive whole number."),
    };
}
