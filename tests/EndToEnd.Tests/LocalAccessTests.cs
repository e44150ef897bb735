using System.Net;
using ModelContextProtocol.Client;
using Serverless.Tests.Shared;
using Serverless.Workflow.Mcp;

namespace Serverless.EndToEnd.Tests;

/// <summary>A local host with an API key set and a small upload limit.</summary>
public sealed class KeyedHostFixture : IAsyncLifetime
{
    public const string Key = "local-secret";
    public const int MaxUploadBytes = 1000;
    private AzuriteProcess _azurite = null!;
    private readonly string _work = Directory.CreateTempSubdirectory("e2e-access-").FullName;
    internal LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Host = await LocalHostProcess.StartAsync(new HostSettings(_azurite.ConnectionString, "access", _work,
            new Dictionary<string, string> { ["LocalHost__ApiKey"] = Key, ["Api__MaxUploadBytes"] = $"{MaxUploadBytes}" }));
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        _azurite.Dispose();
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>Who may call the local host: loopback host names only, no cross-origin writes, the API key when one is set.</summary>
public sealed class LocalAccessTests(KeyedHostFixture fixture) : IClassFixture<KeyedHostFixture>, IDisposable
{
    private const string Key = KeyedHostFixture.Key;
    private readonly LocalHostProcess _host = fixture.Host;
    private readonly HttpClient _http = new() { BaseAddress = fixture.Host.BaseAddress };

    private HttpRequestMessage Request(HttpMethod method, string path, string? key = Key)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add("x-functions-key", key);
        return request;
    }

    [Fact]
    public async Task Every_api_call_needs_the_key_in_the_functions_header_or_as_code()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Request(HttpMethod.Get, "api/runs", key: null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Request(HttpMethod.Get, "api/runs", key: "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(Request(HttpMethod.Get, "api/runs"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync($"api/runs?code={Key}")).StatusCode);
    }

    [Fact]
    public async Task A_write_from_another_origin_is_refused_even_with_the_key()
    {
        var request = Request(HttpMethod.Post, "api/models/some-dataset/rollback");
        request.Headers.Add("Origin", "http://attacker.example");
        request.Content = new StringContent("", null, "text/plain");
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(request)).StatusCode);

        var sameOrigin = Request(HttpMethod.Post, "api/models/some-dataset/rollback");
        sameOrigin.Headers.Add("Origin", _host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(sameOrigin)).StatusCode);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_and_stores_nothing()
    {
        var request = Request(HttpMethod.Post, "api/datasets/too-big?file=big.csv");
        request.Content = new StringContent("x,y\n" + string.Concat(Enumerable.Repeat("1,2\n", KeyedHostFixture.MaxUploadBytes)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _http.SendAsync(request)).StatusCode);

        var chunked = Request(HttpMethod.Post, "api/datasets/too-big?file=big.csv");
        chunked.Content = new StreamContent(new MemoryStream(new byte[KeyedHostFixture.MaxUploadBytes * 3]));
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _http.SendAsync(chunked)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Get, "api/datasets/too-big"))).StatusCode);
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused()
    {
        var request = Request(HttpMethod.Get, "api/runs");
        request.Headers.Host = "rebound.attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_mcp_endpoint_answers_an_agent_with_the_key_and_no_one_else()
    {
        await using var agent = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_host.BaseAddress, "api/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["x-functions-key"] = Key },
        }));
        Assert.Contains(ModelTools.ListModels, (await agent.ListToolsAsync()).Select(t => t.Name));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(ListTools(key: null))).StatusCode);
        var crossOrigin = ListTools(Key);
        crossOrigin.Headers.Add("Origin", "http://attacker.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(crossOrigin)).StatusCode);
    }

    private HttpRequestMessage ListTools(string? key)
    {
        var request = Request(HttpMethod.Post, "api/mcp", key);
        request.Headers.Add("Accept", "application/json, text/event-stream");
        request.Content = new StringContent("""{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}""", null, "application/json");
        return request;
    }

    public void Dispose() => _http.Dispose();
}
