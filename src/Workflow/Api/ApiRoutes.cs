using Serverless.Chain.Http;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Api;

/// <summary>Who may call a route: anyone with the app's API key (read, ask), or only an operator (change, delete, upload).</summary>
public enum RouteAccess
{
    /// <summary>Reading runs, models and datasets, and asking the chain. On Azure: a function key.</summary>
    Caller,
    /// <summary>Changing what is served or stored. On Azure: the admin (master) key.</summary>
    Admin,
    /// <summary>The Studio's page and scripts, which hold no data: anyone. The page's own /api calls need a key as usual.</summary>
    Anyone,
}

/// <summary>
/// An HTTP route: method, template relative to /api, who may call it, and what the OpenAPI document says of it (what
/// it does, the query parameters it reads, the body it takes and the JSON it answers with).
/// </summary>
public sealed record ApiRoute(string Method, string Template, RouteAccess Access, string Summary)
{
    public IReadOnlyList<QueryParameter> Query { get; init; } = [];
    public RequestBody? Body { get; init; }
    /// <summary>The type of a successful JSON answer; null when the route answers something else (described in Summary).</summary>
    public Type? Response { get; init; }
    /// <summary>The media type of a successful answer.</summary>
    public string ResponseMediaType { get; init; } = "application/json";
    public int SuccessStatus { get; init; } = 200;
}

public sealed record QueryParameter(string Name, string Description, bool Required = false);

/// <summary>A request body: its media type, and the type it holds when it is JSON.</summary>
public sealed record RequestBody(string MediaType, Type? Type, string Description);

/// <summary>
/// Every HTTP route of the app, relative to the /api prefix: the Functions attributes, the local host's route groups
/// and the tests all use these. The chain's own routes are defined by the chain (<see cref="ChainRoutes"/>); the
/// Studio's page is in <see cref="Pages"/>.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Runs = "runs";
    public const string Run = "runs/{instanceId}";
    public const string CancelRun = "runs/{instanceId}/cancel";

    public const string Datasets = "datasets";
    public const string Dataset = "datasets/{dataset}";
    public const string Retrain = "datasets/{dataset}/retrain";

    public const string Models = "models/{dataset}";
    public const string Rollback = "models/{dataset}/rollback";
    public const string Promote = "models/{dataset}/versions/{version}/promote";
    public const string ModelPackage = "models/{dataset}/versions/{version}/model.zip";

    public const string ChainInvoke = ChainRoutes.Invoke;
    public const string ChainBatch = ChainRoutes.Batch;
    public const string ChainStream = ChainRoutes.Stream;
    public const string ChainInputSchema = ChainRoutes.InputSchema;
    public const string ChainOutputSchema = ChainRoutes.OutputSchema;

    public const string OpenApi = "openapi.json";

    /// <summary>The MCP server (Streamable HTTP, stateless: POST only) of the model tools.</summary>
    public const string Mcp = "mcp";

    private static readonly RequestBody ChainBody = new("application/json", typeof(ChainInvokeBody),
        "A record ({\"input\": {column: value}}) or a question ({\"question\": \"...\"}); input_schema has the champion's columns.");

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("GET", Runs, RouteAccess.Caller, "Recent runs, newest first, with their status links.")
            { Query = [new("dataset", "Only this dataset's runs.")], Response = typeof(RunList) },
        new("GET", Run, RouteAccess.Caller, "A run: progress while it runs, leaderboard and outcome after.") { Response = typeof(RunState) },
        new("POST", CancelRun, RouteAccess.Admin, "Stops a run that is still going; its working files are released and its record says cancelled.")
            { Response = typeof(RunState) },
        new("GET", Datasets, RouteAccess.Caller, "Every dataset with its champion, last run and file count.") { Response = typeof(DatasetList) },
        new("GET", Dataset, RouteAccess.Caller, "A dataset's files, spec sidecar, champion and recent runs.") { Response = typeof(DatasetDetail) },
        new("POST", Dataset, RouteAccess.Admin, "Uploads a CSV (the body, streamed) as datasets/{dataset}/{file} and starts its run.")
        {
            Query =
            [
                new("file", "The file name, e.g. sales-2026-11.csv (.csv, .tsv or .txt).", Required: true),
                new("label", "The column to predict, or to forecast (default: inferred)."),
                new("task", "binary, multiclass, regression (default: inferred from the label) or forecast (never inferred)."),
                new("metric", "The metric to optimize (default: per task)."), new("budgetseconds", "The training budget in seconds."),
                new("seed", "The search seed."), new("paralleltrials", "Trials (forecast candidates) to run at once."),
                new("timecolumn", "task=forecast: the date column (default: the one column holding dates)."),
                new("horizon", "task=forecast: steps to forecast and backtest on, 1 to 1000 (default: a season ahead)."),
                new("seriescolumn", "task=forecast: the column naming each series of a long-format file."),
                new("knowncolumns", "task=forecast: comma-separated columns known in advance (planned events, calendar-like)."),
                new("datafiles", "append: the dataset is all its files with these columns (default); replace: this file alone."),
            ],
            Body = new("text/csv", null, "The data file."), Response = typeof(RunAccepted), SuccessStatus = 202,
        },
        new("DELETE", Dataset, RouteAccess.Admin, "Deletes the dataset's data, runs (cancelling those still going) and models.")
            { Query = [new("confirm", "The dataset's name again.", Required: true)], Response = typeof(DatasetDeleted) },
        new("POST", Retrain, RouteAccess.Admin, "Starts a new run on the dataset's data files as they are, even when nothing changed.")
            { Response = typeof(RunAccepted), SuccessStatus = 202 },
        new("GET", Models, RouteAccess.Caller, "The champion pointer and every version's card.") { Response = typeof(ModelList) },
        new("POST", Rollback, RouteAccess.Admin, "Makes the previous champion live again (a second rollback goes further back).")
            { Query = [new("champion", "Act only if this version is still the champion.")], Response = typeof(ChampionChanged) },
        new("POST", Promote, RouteAccess.Admin, "Makes any deployed version the champion; a rollback undoes it.")
            { Query = [new("champion", "Act only if this version is still the champion.")], Response = typeof(ChampionChanged) },
        new("GET", ModelPackage, RouteAccess.Admin, "A version's model package (zip), for offline scoring with `cli predict`.")
            { ResponseMediaType = "application/zip" },
        new("POST", ChainInvoke, RouteAccess.Caller,
                "One input in, one answer out: prediction, probabilities, contributions, answer; a forecaster answers with its forecast table (output_schema).")
            { Body = ChainBody, Response = typeof(ChainResponse) },
        new("POST", ChainBatch, RouteAccess.Caller, "An array of invoke bodies in, an array of {output} or {error: problem} out, in order (not for forecasters).")
            { Body = ChainBody with { Description = "A JSON array of invoke bodies." }, Response = typeof(IReadOnlyList<ChainResponse>) },
        new("POST", ChainStream, RouteAccess.Caller, "Server-Sent Events: a step event per finished step, then output (or error), then end.")
            { Body = ChainBody, ResponseMediaType = "text/event-stream" },
        new("GET", ChainInputSchema, RouteAccess.Caller, "JSON Schema of the invoke body, from the champion's columns.")
            { ResponseMediaType = "application/schema+json" },
        new("GET", ChainOutputSchema, RouteAccess.Caller, "JSON Schema of the answer, with the champion's classes.")
            { ResponseMediaType = "application/schema+json" },
        new("GET", OpenApi, RouteAccess.Caller, "This document: the API in OpenAPI 3.1.") { ResponseMediaType = "application/json" },
        new("POST", Mcp, RouteAccess.Caller, "The MCP server (Streamable HTTP, stateless): every deployed model as tools for agents (list_models, predict, explain, forecast, get_run, list_runs).")
            { Body = new("application/json", null, "A JSON-RPC message of the Model Context Protocol."), ResponseMediaType = "text/event-stream" },
    ];

    /// <summary>The Studio's files on the Functions app (/api/studio/); the local host serves them at its root.</summary>
    public const string Studio = "studio/{*path}";

    /// <summary>
    /// Routes that serve the Studio's web page rather than the API: the Functions app serves them under /api like the
    /// rest, but the OpenAPI document (<see cref="All"/>) leaves them out.
    /// </summary>
    public static IReadOnlyList<ApiRoute> Pages { get; } =
    [
        new("GET", Studio, RouteAccess.Anyone, "The Studio web page, its stylesheet and scripts."),
    ];

    /// <summary>The absolute path a client follows to a run.</summary>
    public static string RunLink(string instanceId) => $"/{Prefix}/{Run.Replace("{instanceId}", instanceId)}";
}
