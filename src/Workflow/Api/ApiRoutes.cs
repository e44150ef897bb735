using Serverless.Chain.Http;

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

/// <summary>An HTTP route: method, template relative to /api, and who may call it.</summary>
public sealed record ApiRoute(string Method, string Template, RouteAccess Access);

/// <summary>
/// Every HTTP route of the app, relative to the /api prefix: the Functions attributes, the local host's route groups
/// and the tests all use these. The chain's own routes are defined by the chain (<see cref="ChainRoutes"/>).
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

    /// <summary>The Studio's files on the Functions app (/api/studio/); the local host serves them at its root.</summary>
    public const string Studio = "studio/{*path}";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("GET", Runs, RouteAccess.Caller), new("GET", Run, RouteAccess.Caller), new("POST", CancelRun, RouteAccess.Admin),
        new("GET", Datasets, RouteAccess.Caller), new("GET", Dataset, RouteAccess.Caller), new("POST", Dataset, RouteAccess.Admin),
        new("DELETE", Dataset, RouteAccess.Admin), new("POST", Retrain, RouteAccess.Admin),
        new("GET", Models, RouteAccess.Caller), new("POST", Rollback, RouteAccess.Admin), new("POST", Promote, RouteAccess.Admin),
        new("GET", ModelPackage, RouteAccess.Admin),
        new("POST", ChainInvoke, RouteAccess.Caller), new("POST", ChainBatch, RouteAccess.Caller), new("POST", ChainStream, RouteAccess.Caller),
        new("GET", ChainInputSchema, RouteAccess.Caller), new("GET", ChainOutputSchema, RouteAccess.Caller),
        new("GET", Studio, RouteAccess.Anyone),
    ];

    /// <summary>The absolute path a client follows to a run.</summary>
    public static string RunLink(string instanceId) => $"/{Prefix}/{Run.Replace("{instanceId}", instanceId)}";
}
