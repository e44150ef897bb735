using Serverless.Chain.Http;

namespace Serverless.Workflow.Api;

/// <summary>An HTTP route: method and template relative to /api.</summary>
public sealed record ApiRoute(string Method, string Template);

/// <summary>
/// Every HTTP route of the app, relative to the /api prefix: the Functions attributes, the local host's route groups
/// and the tests all use these. The chain's own routes are defined by the chain (<see cref="ChainRoutes"/>).
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "api";

    public const string Runs = "runs";
    public const string Run = "runs/{instanceId}";
    public const string Models = "models/{dataset}";
    public const string Rollback = "models/{dataset}/rollback";

    public const string ChainInvoke = ChainRoutes.Invoke;
    public const string ChainBatch = ChainRoutes.Batch;
    public const string ChainStream = ChainRoutes.Stream;
    public const string ChainInputSchema = ChainRoutes.InputSchema;
    public const string ChainOutputSchema = ChainRoutes.OutputSchema;

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("GET", Runs), new("GET", Run), new("GET", Models), new("POST", Rollback),
        new("POST", ChainInvoke), new("POST", ChainBatch), new("POST", ChainStream),
        new("GET", ChainInputSchema), new("GET", ChainOutputSchema),
    ];

    /// <summary>The absolute path a client follows to a run.</summary>
    public static string RunLink(string instanceId) => $"/{Prefix}/{Run.Replace("{instanceId}", instanceId)}";
}
