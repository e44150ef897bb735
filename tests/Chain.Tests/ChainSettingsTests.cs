using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Serverless.Chain.Tests;

public sealed class ChainSettingsTests
{
    [Fact]
    public void The_sample_settings_bind_and_build_the_chain()
    {
        var services = new ServiceCollection().AddChain(SampleSettings()).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ChainOptions>>().Value;
        Assert.Equal(LlmProviders.None, options.Llm.Provider);
        Assert.Equal(1024 * 1024, options.MaxBodyBytes);
        Assert.NotNull(services.GetRequiredService<ChainRunner>());
    }

    [Fact]
    public void An_unknown_provider_fails_when_the_chain_is_built()
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Chain:Llm:Provider"] = "gemini" }).Build();
        var services = new ServiceCollection().AddChain(settings).BuildServiceProvider();

        Assert.Contains("gemini", Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ChainRunner>()).Message);
    }

    /// <summary>The Chain__ values of local.settings.sample.json, as the Functions host turns them into configuration.</summary>
    private static IConfiguration SampleSettings()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "local.settings.sample.json"))) root = root.Parent!;
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => p.Name.StartsWith("Chain__", StringComparison.Ordinal))
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
        Assert.NotEmpty(values);
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
