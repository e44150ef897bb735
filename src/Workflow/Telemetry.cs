using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serverless.Chain;

namespace Serverless.Workflow;

/// <summary>
/// Traces of both hosts: HTTP requests, storage and LLM calls, the chain, and every workflow activity. Exported over
/// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is.
/// </summary>
public static class Telemetry
{
    public const string SourceName = "Serverless.Workflow";
    public static readonly ActivitySource Source = new(SourceName);

    /// <remarks>
    /// With no exporter (and no <paramref name="configure"/>) nothing is traced: a listener would still build a span for
    /// every HTTP request and storage call (the durable engine's polls, every bundle's blobs) that nobody reads.
    /// </remarks>
    public static IServiceCollection AddServerlessTelemetry(this IServiceCollection services, IConfiguration configuration, Action<TracerProviderBuilder>? configure = null)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!otlp && string.IsNullOrEmpty(appInsights) && configure is null)
            return services;
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddSource(SourceName, ChainServiceCollectionExtensions.TelemetrySource, "Azure.*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            if (otlp)
                tracing.AddOtlpExporter();
            if (!string.IsNullOrEmpty(appInsights))
                tracing.AddAzureMonitorTraceExporter(o =>
                {
                    o.ConnectionString = appInsights;
                    // Keyless ingestion with the app's managed identity (AZURE_CLIENT_ID) when local auth is off.
                    o.Credential = new DefaultAzureCredential();
                });
            configure?.Invoke(tracing);
        });
        return services;
    }
}
