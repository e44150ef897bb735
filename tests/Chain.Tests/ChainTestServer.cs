using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Chain.Http;

namespace Serverless.Chain.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (port chosen by the OS) serving the chain routes.</summary>
public sealed class ChainTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChainTestServer(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<ChainTestServer> StartAsync(
        IModelSource models, IChatClient? llm = null, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton(models).AddChain(builder.Configuration).AddChainEndpoints();
        if (llm is not null) builder.Services.AddKeyedSingleton(ChainServiceCollectionExtensions.ChatClientKey, llm);
        var app = builder.Build();
        app.MapGroup("/api").MapChainEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ChainTestServer(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
