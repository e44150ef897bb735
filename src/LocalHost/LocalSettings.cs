using System.Text.Json;

namespace Serverless.LocalHost;

/// <summary>
/// Reads the "Values" of local.settings.json (the Functions host's local settings file) so one file configures
/// both hosts. "A__B" keys become "A:B", as environment variables do.
/// </summary>
public static class LocalSettings
{
    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string path)
    {
        if (!File.Exists(path))
            return builder;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var values))
            return builder;
        var pairs = values.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name.Replace("__", ":"), p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()));
        return builder.AddInMemoryCollection(pairs);
    }
}
