using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain;

/// <summary>The champion model of a dataset as the chain serves it.</summary>
public sealed record ServedModel(string Dataset, string Version, TrainedModel Model);

/// <summary>A dataset's champion when it is a forecaster (task=forecast): it answers how a series goes on, not records.</summary>
public sealed record ServedForecaster(string Dataset, string Version, Forecaster Forecaster);

/// <summary>Where the chain gets a dataset's live model. The host implements it (blob registry, tests: in memory).</summary>
public interface IModelSource
{
    ValueTask<ModelLookup> GetAsync(string dataset, CancellationToken ct);
}

/// <summary>The model source's own store cannot be reached just now; the request may be retried shortly.</summary>
public sealed class ModelSourceUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The outcomes of looking a dataset's model up.</summary>
public abstract record ModelLookup
{
    private ModelLookup() { }

    public sealed record Found(ServedModel Model) : ModelLookup;

    public sealed record ForecasterFound(ServedForecaster Forecaster) : ModelLookup;

    public sealed record UnknownDataset : ModelLookup;

    /// <summary>The dataset exists but no model is deployed; RunStatusUrl points at the run training one, if any.</summary>
    public sealed record NoChampion(string? RunStatusUrl) : ModelLookup;

    public static ModelLookup Of(ServedModel model) => new Found(model);
    public static ModelLookup Of(ServedForecaster forecaster) => new ForecasterFound(forecaster);
    public static readonly ModelLookup Unknown = new UnknownDataset();
    public static ModelLookup Training(string? runStatusUrl) => new NoChampion(runStatusUrl);
}
