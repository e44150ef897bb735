using Serverless.LocalHost;
using Serverless.Workflow;
using Serverless.Workflow.Http;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Training;

// The local runtime: the Workflow's orchestrator and activities on DTFx over Azurite, a blob watcher in place of
// the blob trigger, a cron timer in place of the timer trigger, and the Functions app's HTTP routes under /api.
// `demo --data F --label L` runs one upload → train → deploy → ask cycle on this host and exits.
var demo = args.FirstOrDefault() == "demo" ? DemoOptions.Parse(args) : null;
var builder = WebApplication.CreateBuilder(demo is null ? args : []);
builder.Configuration.AddLocalSettings(Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json"));
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(demo is null ? args : []);
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:7071");
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
if (demo is not null)
    builder.Logging.SetMinimumLevel(LogLevel.Warning);

builder.Services.AddWorkflow(builder.Configuration);
builder.Services.AddServerlessTelemetry(builder.Configuration);
builder.Services.AddSingleton<DurableTaskEngine>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DurableTaskEngine>());
builder.Services.AddSingleton<ITrainingRuns, DtfxTrainingRuns>();
builder.Services.AddHostedService<BlobWatcher>();
builder.Services.AddHostedService<RetrainTimer>();

var app = builder.Build();
app.MapGet("/api/runs", (HttpContext http, RunEndpoints endpoints) => endpoints.ListRunsAsync(http));
app.MapGet("/api/runs/{instanceId}", (HttpContext http, string instanceId, RunEndpoints endpoints, ITrainingRuns runs) =>
    endpoints.GetRunAsync(http, instanceId, runs));
app.MapGet("/api/models/{dataset}", (HttpContext http, string dataset, RunEndpoints endpoints) =>
    endpoints.GetModelsAsync(http, dataset));
app.MapPost("/api/models/{dataset}/rollback", (HttpContext http, string dataset, RunEndpoints endpoints) =>
    endpoints.RollbackAsync(http, dataset));
app.MapChainEndpoints();

if (demo is null)
{
    app.Run();
    return 0;
}
return await new Demo(app, demo).RunAsync();
