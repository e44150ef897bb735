using Serverless.Chain.Http;
using Serverless.LocalHost;
using Serverless.Studio;
using Serverless.Workflow;
using Serverless.Workflow.Api;
using Serverless.Workflow.Mcp;

// The local runtime: the Workflow's orchestrator and activities on DTFx over Azurite, a blob watcher in place of
// the blob trigger, a cron timer in place of the timer trigger, the Functions app's HTTP routes (and MCP) under /api,
// and the Studio's web page at /.
// `demo --data F --label L` runs one upload → train → deploy → ask cycle on this host and exits.
var demo = args.FirstOrDefault() == "demo" ? DemoOptions.Parse(args) : null;
string[] settingArgs = demo is null ? args : [];
var builder = WebApplication.CreateBuilder(settingArgs);
builder.AddLocalHostDefaults(settingArgs, quiet: demo is not null).AddLocalAccess();
builder.Services.AddWorkflow(builder.Configuration);
builder.Services.AddLocalRuntime(builder.Configuration);
builder.Services.AddStudio();

var app = builder.Build();
app.UseLocalAccess();
var api = app.MapGroup("/" + ApiRoutes.Prefix);
api.MapRunEndpoints();
api.MapChainEndpoints();
api.MapModelTools();
app.MapStudio();

if (demo is null)
{
    app.Run();
    return 0;
}
return await new Demo(app, demo).RunAsync();
