using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.AutoMl;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain.Http;

/// <summary>
/// The chain's HTTP surface, shared by the Functions host and the local host: each method writes the whole response
/// to the HttpContext, so both behave identically. A dataset's champion is a model of records (the chain) or a
/// forecaster (the forecast chain); each route answers for both, except batch, which is for records.
/// </summary>
public sealed class ChainEndpoints(
    IModelSource models, ChainRunner chain, ForecastRunner forecasts, ChainSchemas schemas, IOptions<ChainOptions> options, ILogger<ChainEndpoints> logger)
{
    private readonly ChainOptions _options = options.Value;

    public Task InvokeAsync(HttpContext ctx, string dataset) => Handle(ctx, dataset, async (served, body) =>
    {
        var output = await chain.RunAsync(served, ChainRequest.FromJson(body), null, ctx.RequestAborted);
        await WriteJsonAsync(ctx, new ChainResponse(output));
    }, async (forecaster, body) =>
    {
        var output = await forecasts.RunAsync(forecaster, ForecastRequest.FromJson(body), null, ctx.RequestAborted);
        await WriteJsonAsync(ctx, new ForecastResponse(output));
    });

    /// <summary>
    /// A JSON array of invoke bodies in, an array of <c>{"output"}</c> or <c>{"error": problem}</c> out, in order. A
    /// forecaster answers one forecast per invoke instead.
    /// </summary>
    public Task BatchAsync(HttpContext ctx, string dataset) => Handle(ctx, dataset, async (served, body) =>
    {
        if (body.ValueKind != JsonValueKind.Array)
            throw new InvalidRecordException("The batch body must be a JSON array of invoke bodies.", ["body"]);
        if (body.GetArrayLength() > _options.MaxBatchItems)
            throw new InvalidRecordException($"A batch holds at most {_options.MaxBatchItems} items.", ["body"]);
        var items = body.EnumerateArray().ToArray();
        var results = new ChainResponse[items.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Length),
            new ParallelOptions { MaxDegreeOfParallelism = _options.BatchConcurrency, CancellationToken = ctx.RequestAborted },
            async (i, ct) => results[i] = await BatchItem(served, items[i], ct));
        await WriteJsonAsync(ctx, results);
    }, (forecaster, _) => throw new InvalidRecordException(
        $"'{forecaster.Dataset}' is a forecaster: batch scores records, a forecast is one call to POST /api/chain/{forecaster.Dataset}/invoke.", ["body"]));

    /// <summary>Server-Sent Events: one "step" event per finished step, then "output" (or "error"), then "end".</summary>
    public Task StreamAsync(HttpContext ctx, string dataset) => Handle(ctx, dataset,
        (served, body) =>
        {
            var request = ChainRequest.FromJson(body); // a malformed body is a plain 400, before the stream starts
            return StreamAsync(ctx, dataset, async onStep => new ChainResponse(await chain.RunAsync(served, request, onStep, ctx.RequestAborted)));
        },
        (forecaster, body) =>
        {
            var request = ForecastRequest.FromJson(body);
            return StreamAsync(ctx, dataset, async onStep => new ForecastResponse(await forecasts.RunAsync(forecaster, request, onStep, ctx.RequestAborted)));
        });

    public Task InputSchemaAsync(HttpContext ctx, string dataset) => WithModel(ctx, dataset,
        served => WriteSchema(ctx, schemas.Input(served)), forecaster => WriteSchema(ctx, ForecastSchemas.Input(forecaster)));

    public Task OutputSchemaAsync(HttpContext ctx, string dataset) => WithModel(ctx, dataset,
        served => WriteSchema(ctx, schemas.Output(served)), forecaster => WriteSchema(ctx, ForecastSchemas.Output(forecaster)));

    private async Task StreamAsync(HttpContext ctx, string dataset, Func<Func<ChainStep, ValueTask>, Task<object>> run)
    {
        var events = Channel.CreateUnbounded<SseItem<string>>();
        var running = Task.Run(async () =>
        {
            try
            {
                var output = await run(step => events.Writer.WriteAsync(Event("step", step)));
                await events.Writer.WriteAsync(Event("output", output));
            }
            catch (InvalidRecordException e)
            {
                await events.Writer.WriteAsync(Event("error", ChainProblems.InvalidInput(e)));
            }
            catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested)
            {
                // The status line is already sent: the failure can only travel as an event.
                logger.LogError(e, "Chain stream for {Dataset} failed", dataset);
                await events.Writer.WriteAsync(Event("error", ChainProblems.Failed()));
            }
            finally
            {
                await events.Writer.WriteAsync(Event("end", new { }));
                events.Writer.Complete();
            }
        });
        await TypedResults.ServerSentEvents(events.Reader.ReadAllAsync(ctx.RequestAborted)).ExecuteAsync(ctx);
        await running;
    }

    private async Task<ChainResponse> BatchItem(ServedModel served, JsonElement item, CancellationToken ct)
    {
        try
        {
            return new ChainResponse(await chain.RunAsync(served, ChainRequest.FromJson(item), null, ct));
        }
        catch (InvalidRecordException e)
        {
            return new ChainResponse(null, ChainProblems.InvalidInput(e));
        }
    }

    /// <summary>Body size, model lookup, JSON parsing and input errors, the same for every POST route and either kind of model.</summary>
    private Task Handle(HttpContext ctx, string dataset, Func<ServedModel, JsonElement, Task> respond, Func<ServedForecaster, JsonElement, Task> forecast) =>
        WithModel(ctx, dataset, served => WithBody(ctx, body => respond(served, body)), forecaster => WithBody(ctx, body => forecast(forecaster, body)));

    private async Task WithBody(HttpContext ctx, Func<JsonElement, Task> respond)
    {
        var body = await RequestBody.ReadJsonAsync(ctx.Request, _options.MaxBodyBytes, ctx.RequestAborted);
        if (body.Problem is not null)
        {
            await body.Problem.ExecuteAsync(ctx);
            return;
        }
        try
        {
            await respond(body.Json);
        }
        catch (InvalidRecordException e) when (!ctx.Response.HasStarted)
        {
            await ChainProblems.Result(ChainProblems.InvalidInput(e)).ExecuteAsync(ctx);
        }
    }

    private async Task WithModel(HttpContext ctx, string dataset, Func<ServedModel, Task> respond, Func<ServedForecaster, Task> forecast)
    {
        try
        {
            await Respond(ctx, dataset, respond, forecast);
        }
        catch (ModelSourceUnavailableException e) when (!ctx.Response.HasStarted)
        {
            logger.LogWarning(e, "Chain request for {Dataset}: the model store is unreachable", dataset);
            ctx.Response.Headers.RetryAfter = ChainProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ChainProblems.Result(ChainProblems.Unavailable(e.Message)).ExecuteAsync(ctx);
        }
        catch (Exception e) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
        {
            // Both hosts then answer the same problem+json, without internals; the details go to the log.
            logger.LogError(e, "Chain request for {Dataset} failed", dataset);
            await ChainProblems.Result(ChainProblems.Failed()).ExecuteAsync(ctx);
        }
    }

    private async Task Respond(HttpContext ctx, string dataset, Func<ServedModel, Task> respond, Func<ServedForecaster, Task> forecast)
    {
        switch (await models.GetAsync(dataset, ctx.RequestAborted))
        {
            case ModelLookup.Found found:
                await respond(found.Model);
                break;
            case ModelLookup.ForecasterFound found:
                await forecast(found.Forecaster);
                break;
            case ModelLookup.NoChampion training:
                if (training.RunStatusUrl is not null) ctx.Response.Headers.Location = training.RunStatusUrl;
                await ChainProblems.Result(ChainProblems.NoChampion(dataset, training.RunStatusUrl)).ExecuteAsync(ctx);
                break;
            default:
                await ChainProblems.Result(ChainProblems.UnknownDataset(dataset)).ExecuteAsync(ctx);
                break;
        }
    }

    /// <summary>
    /// Serializes the whole body before sending the status line, so a value that cannot be written fails as a 500
    /// problem instead of a 200 with truncated JSON.
    /// </summary>
    private static Task WriteJsonAsync(HttpContext ctx, object value) =>
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, ChainJson.Options), "application/json").ExecuteAsync(ctx);

    private static Task WriteSchema(HttpContext ctx, System.Text.Json.Nodes.JsonNode schema) =>
        Results.Json(schema, ChainJson.Options, contentType: "application/schema+json").ExecuteAsync(ctx);

    private static SseItem<string> Event(string type, object data) =>
        new(JsonSerializer.Serialize(data, ChainJson.Options), type);
}
