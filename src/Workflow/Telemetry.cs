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

    public static IServiceCollection AddServerlessTelemetry(this IServiceCollection services, IConfiguration configuration, Action<TracerProviderBuilder>? configure = null)
    {
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddSource(SourceName, ChainServiceCollectionExtensions.TelemetrySource, "Azure.*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation();
            if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                tracing.AddOtlpExporter();
            if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } appInsights)
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
