using System.ComponentModel;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Workflow.Storage;
using Spectre.Console.Cli;

namespace Serverless.Cli;

/// <summary>Where a running host is: its URL and, when it needs one, its key.</summary>
public class HostSettings : CommandSettings
{
    public const string HostVariable = "AUTOML_HOST";
    public const string KeyVariable = "AUTOML_KEY";

    [CommandOption("--host <URL>"), Description($"The host's base URL (default: ${HostVariable}, else http://127.0.0.1:7071).")]
    public string? Host { get; init; }

    [CommandOption("--key <KEY>"), Description($"The host's key: a function or admin key on Azure, LocalHost__ApiKey locally (default: ${KeyVariable}).")]
    public string? Key { get; init; }

    public Uri BaseAddress => new((Host ?? Environment.GetEnvironmentVariable(HostVariable) ?? "http://127.0.0.1:7071").TrimEnd('/') + "/");

    public string? ApiKey => Key ?? Environment.GetEnvironmentVariable(KeyVariable);
}

/// <summary>A refusal from the host, with its problem's title and detail.</summary>
public sealed class HostException(string message) : Exception(message);

/// <summary>The host's /api, as the commands call it: JSON in the host's format, problems turned into readable errors.</summary>
public sealed class HostClient(HostSettings settings) : IDisposable
{
    private readonly HttpClient _http = Create(settings);

    public Uri BaseAddress => settings.BaseAddress;

    public async Task<T> GetAsync<T>(string path, CancellationToken ct) => await ReadAsync<T>(await _http.GetAsync(path, ct), ct);

    public async Task<T> PostAsync<T>(string path, HttpContent? content, CancellationToken ct) =>
        await ReadAsync<T>(await _http.PostAsync(path, content, ct), ct);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw new HostException($"{(int)response.StatusCode} {await DescribeAsync(response, ct)}");
        return (await response.Content.ReadFromJsonAsync<T>(BlobJson.Options, ct))!;
    }

    /// <summary>A problem's title and detail, or the status's reason when the body is no problem+json.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var detail = problem.TryGetProperty("detail", out var d) ? ": " + d.GetString() : "";
            return (problem.TryGetProperty("title", out var t) ? t.GetString() : response.ReasonPhrase) + detail;
        }
        catch (JsonException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    private static HttpClient Create(HostSettings settings)
    {
        var http = new HttpClient { BaseAddress = new Uri(settings.BaseAddress, "api/"), Timeout = TimeSpan.FromMinutes(10) };
        if (settings.ApiKey is { } key)
            http.DefaultRequestHeaders.Add("x-functions-key", key);
        return http;
    }

    public void Dispose() => _http.Dispose();
}
