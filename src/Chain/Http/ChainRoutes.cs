namespace Serverless.Chain.Http;

/// <summary>The chain's route templates, relative to the hosts' /api prefix (the Functions host's route prefix).</summary>
public static class ChainRoutes
{
    public const string Invoke = "chain/{dataset}/invoke";
    public const string Batch = "chain/{dataset}/batch";
    public const string Stream = "chain/{dataset}/stream";
    public const string InputSchema = "chain/{dataset}/input_schema";
    public const string OutputSchema = "chain/{dataset}/output_schema";
}
