using Serverless.Workflow;
using Serverless.Workflow.Runs;

namespace Serverless.LocalHost;

/// <summary>What the Functions host provides in Azure and this host provides itself.</summary>
public static class LocalRuntime
{
    /// <summary>
    /// Settings (local.settings.json, overridden by the environment, overridden by <paramref name="settingArgs"/>),
    /// the listening address and logging; <paramref name="quiet"/> logs only warnings.
    /// </summary>
    public static WebApplicationBuilder AddLocalHostDefaults(this WebApplicationBuilder builder, string[] settingArgs, bool quiet)
    {
        builder.Configuration.AddLocalSettings(Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"));
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(settingArgs);
        builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:7071");
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (quiet)
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>
    /// The durable engine (DTFx on Azurite), the blob watcher standing in for the blob trigger, the retrain timer, the
    /// sweeper of ended runs' local files, telemetry.
    /// </summary>
    public static IServiceCollection AddLocalRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddServerlessTelemetry(configuration);
        services.AddSingleton<DurableTaskEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskEngine>());
        services.AddSingleton<ITrainingRuns, DtfxTrainingRuns>();
        services.AddHostedService<BlobWatcher>();
        services.AddHostedService<RetrainTimer>();
        services.AddHostedService<WorkspaceSweeper>();
        return services;
    }
}
