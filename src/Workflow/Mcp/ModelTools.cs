using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Server;
using Serverless.AutoMl;
using Serverless.Chain;
using Serverless.Chain.Forecasting;
using Serverless.Chain.Http;
using Serverless.Workflow.Api;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Registry;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Mcp;

/// <summary>
/// Every deployed model as a tool for agents. Defined once, exposed twice: over MCP (the SDK's <c>WithTools</c>, which
/// builds an instance per call from the request's services) and in process as <see cref="AIFunction"/>s for any
/// IChatClient (<see cref="AsAIFunctions"/>). The tools answer with the chain and the stores the HTTP API uses, and
/// fail with a <see cref="ModelToolException"/> carrying the message the HTTP API gives for the same mistake.
/// </summary>
public sealed class ModelTools(
    IModelSource models, ChainRunner chain, ForecastRunner forecasts, ModelRegistry registry, RunStore runStore, RunCancellation runStates,
    ITrainingRuns trainingRuns)
{
    public const string ListModels = "list_models";
    public const string Predict = "predict";
    public const string Forecast = "forecast";
    public const string Explain = "explain";
    public const string GetRun = "get_run";
    public const string ListRuns = "list_runs";

    /// <summary>How the tools' results and arguments are written: the chain's wire format.</summary>
    public static JsonSerializerOptions JsonOptions => ChainJson.Options;

    private const string DatasetParameter = "The dataset's name, as list_models reports it.";
    private const string RecordParameter =
        "A record to score: an object of column name to value (string, number, boolean or null), with the columns "
        + "list_models reports in inputColumns and recordSchema. Columns left out take their training defaults. Give a record or a question.";
    private const string QuestionParameter =
        "A question in plain language, or \"column: value, ...\" text, read onto the model's columns. Give a record or a question.";

    [McpServerTool(Name = ListModels, ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists every dataset with a deployed model (its champion): dataset, model version, task (binary, multiclass, "
        + "regression, or forecast for a forecaster), the label it predicts (or forecasts), the metric and score (cross-validated; "
        + "backtest MASE for a forecaster), the input columns and a JSON Schema of a record. Call it first to learn which datasets "
        + "exist and which columns predict and explain take; forecasters answer the forecast tool instead.")]
    public async Task<LiveModelList> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var champions = await registry.ListChampionsAsync(cancellationToken);
        return new LiveModelList([.. champions.Select(c =>
        {
            var record = c.Card.Forecast is { } forecast ? ForecastSchemas.Record(forecast) : ChainSchemas.Record(c.Card.Schema);
            return new LiveModel(
                c.Dataset,
                c.Pointer.Version,
                c.Card.Schema.Task.ToString().ToLowerInvariant(),
                c.Card.Schema.Label,
                c.Pointer.Metric,
                c.Pointer.CvScore,
                [.. record["properties"]!.AsObject().Select(p => p.Key)],
                record);
        })]);
    }

    [McpServerTool(Name = Predict, ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Asks a dataset's deployed model for a prediction, from a record or a plain-language question. Answers with "
        + "what the chain's invoke endpoint answers: prediction, class probabilities, contributions (the top factors), an answer in words, the "
        + "columns it assumed (training defaults), what it ignored, warnings (values outside training), and the complete "
        + "record the model saw.")]
    public Task<ChainOutput> PredictAsync(
        [Description(DatasetParameter)] string dataset,
        [Description(RecordParameter)] JsonElement? record = null,
        [Description(QuestionParameter)] string? question = null,
        CancellationToken cancellationToken = default) =>
        RunChainAsync(dataset, record, question, cancellationToken);

    [McpServerTool(Name = Explain, ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Explains a dataset's deployed model's prediction for a record or a question, and answers in words. Contributions "
        + "split the model's raw score for the predicted class (the margin before calibration; for regression the predicted "
        + "value) into baseValue, its training average, plus one contribution per column; factors names the columns that moved "
        + "it most (direction 'raises' pushes toward the prediction, 'lowers' against it; text columns list their words), "
        + "otherColumns sums the rest.")]
    public async Task<Explanation> ExplainAsync(
        [Description(DatasetParameter)] string dataset,
        [Description(RecordParameter)] JsonElement? record = null,
        [Description(QuestionParameter)] string? question = null,
        CancellationToken cancellationToken = default)
    {
        var output = await RunChainAsync(dataset, record, question, cancellationToken);
        return new Explanation(output.Dataset, output.ModelVersion, output.Prediction, output.Contributions, output.Answer);
    }

    [McpServerTool(Name = Forecast, ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Asks a dataset's deployed forecaster (task forecast in list_models) how its series goes on, from a record or a "
        + "plain-language question (\"what will sales be over the next 6 months?\"). Answers with what the chain's invoke endpoint "
        + "answers for it: the forecast table (timestamp, forecast, lo80, hi80, lo95, hi95), an answer in words, what it assumed, "
        + "warnings, and the intervals' coverage measured on the backtest.")]
    public async Task<ForecastOutput> ForecastAsync(
        [Description(DatasetParameter)] string dataset,
        [Description("A record: \"horizon\" (steps ahead; the backtested horizon when left out), \"series\" (with several series), and "
            + "known columns' future values (a number for every step, or an array). Give a record or a question.")] JsonElement? record = null,
        [Description("A question in plain language: how far ahead and, with several series, which one. Give a record or a question.")] string? question = null,
        CancellationToken cancellationToken = default)
    {
        var given = Given(record, question);
        var served = await models.GetAsync(dataset, cancellationToken) switch
        {
            ModelLookup.ForecasterFound found => found.Forecaster,
            ModelLookup.Found => throw new ModelToolException($"'{dataset}' is not a forecaster: call {Predict} for its predictions."),
            var other => throw NotServed(dataset, other),
        };
        try
        {
            var request = given is { } input ? ForecastRequest.FromInput(input) : new ForecastRequest { Question = question };
            return await forecasts.RunAsync(served, request, null, cancellationToken);
        }
        catch (InvalidRecordException e)
        {
            throw new ModelToolException(ChainProblems.InvalidInput(e).Detail!);
        }
    }

    [McpServerTool(Name = GetRun, ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Tells where a training run stands: its status, its progress while it runs (stage, trials done, best score "
        + "so far) and its outcome once it ended (model version, score, leaderboard, or the reason it failed). Run ids come from "
        + "list_runs, or from a predict error on a dataset whose first model is still training.")]
    public async Task<RunState> GetRunAsync(
        [Description("The run's id, '{dataset}_{hash}'.")] string runId,
        CancellationToken cancellationToken = default) =>
        await runStates.StateAsync(runId, trainingRuns, cancellationToken)
        ?? throw new ModelToolException(RunEndpoints.NoSuchRun(runId));

    [McpServerTool(Name = ListRuns, ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists the recent training runs of a dataset (of every dataset when none is given), newest first: run id, "
        + "when it started, status, model version and score.")]
    public async Task<RunList> ListRunsAsync(
        [Description("The dataset's name; leave it out for every dataset's runs.")] string? dataset = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(dataset))
            dataset = null;
        else if (!DatasetBlob.IsValidDatasetName(dataset))
            throw new ModelToolException(ChainProblems.UnknownDataset(dataset).Detail!);
        return new RunList(dataset, await runStore.ListAsync(dataset, ct: cancellationToken));
    }

    /// <summary>The same tools as <see cref="AIFunction"/>s, with the names, descriptions and schemas MCP clients see.</summary>
    public IReadOnlyList<AIFunction> AsAIFunctions() =>
    [
        .. typeof(ModelTools).GetMethods()
            .Select(method => (Method: method, Tool: method.GetCustomAttribute<McpServerToolAttribute>()))
            .Where(m => m.Tool is not null)
            .Select(m => AIFunctionFactory.Create(m.Method, this, new AIFunctionFactoryOptions
            {
                Name = m.Tool!.Name,
                SerializerOptions = JsonOptions,
            })),
    ];

    /// <summary>The record, when one is given; throws unless exactly one of a record and a question is.</summary>
    private static JsonElement? Given(JsonElement? record, string? question)
    {
        var given = record is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value ? value : (JsonElement?)null;
        return (given is null) == string.IsNullOrWhiteSpace(question)
            ? throw new ModelToolException("Give either a record (an object of column: value) or a question, not both and not neither.")
            : given;
    }

    private async Task<ChainOutput> RunChainAsync(string dataset, JsonElement? record, string? question, CancellationToken ct)
    {
        var given = Given(record, question);
        var served = await ServedAsync(dataset, ct);
        try
        {
            var request = given is { } input ? ChainRequest.FromInput(input) : ChainRequest.ForText(question!);
            return await chain.RunAsync(served, request, null, ct);
        }
        catch (InvalidRecordException e)
        {
            throw new ModelToolException(ChainProblems.InvalidInput(e).Detail!);
        }
    }

    private async Task<ServedModel> ServedAsync(string dataset, CancellationToken ct) => await models.GetAsync(dataset, ct) switch
    {
        ModelLookup.Found found => found.Model,
        ModelLookup.ForecasterFound => throw new ModelToolException($"'{dataset}' is a forecaster: call {Forecast} for its forecast."),
        var other => throw NotServed(dataset, other),
    };

    /// <summary>A dataset without a champion yet (the run training one), or no such dataset.</summary>
    private static ModelToolException NotServed(string dataset, ModelLookup lookup) => lookup is ModelLookup.NoChampion training
        ? new ModelToolException(ChainProblems.NoChampion(dataset, training.RunStatusUrl).Detail!)
        : new ModelToolException(ChainProblems.UnknownDataset(dataset).Detail!);
}

/// <summary>What list_models answers.</summary>
public sealed record LiveModelList(IReadOnlyList<LiveModel> Models);

/// <summary>A dataset's champion as an agent needs it: what it predicts, how well, and from which columns.</summary>
public sealed record LiveModel(
    string Dataset, string Version, string Task, string Label, string Metric, double Score,
    IReadOnlyList<string> InputColumns, JsonObject RecordSchema);

/// <summary>What explain answers: the prediction, its contributions (the columns that moved it most) and the answer in words.</summary>
public sealed record Explanation(string Dataset, string ModelVersion, object Prediction, Contributions Contributions, string Answer);

/// <summary>What list_runs answers.</summary>
public sealed record RunList(string? Dataset, IReadOnlyList<RunSummary> Runs);
