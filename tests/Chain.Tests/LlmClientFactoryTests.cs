using Microsoft.Extensions.AI;

namespace Serverless.Chain.Tests;

/// <summary>Builds each provider's client (no request is sent), which also proves the SDK assemblies load together.</summary>
public sealed class LlmClientFactoryTests
{
    [Theory]
    [InlineData(LlmProviders.OpenAi, null, "sk-test")]
    [InlineData(LlmProviders.AzureOpenAi, "https://example-resource.openai.azure.com", "key")]
    [InlineData(LlmProviders.AzureOpenAi, "https://example-resource.openai.azure.com", null)]
    [InlineData(LlmProviders.OpenAiCompatible, "http://127.0.0.1:11434/v1", null)]
    public void Creates_a_chat_client_for_each_provider(string provider, string? endpoint, string? key)
    {
        using var client = LlmClientFactory.Create(new LlmOptions { Provider = provider, Model = "m", Endpoint = endpoint, ApiKey = key });

        Assert.NotNull(client!.GetService<ChatClientMetadata>());
    }

    [Fact]
    public void None_means_no_client() => Assert.Null(LlmClientFactory.Create(new LlmOptions()));

    [Theory]
    [InlineData(LlmProviders.OpenAi, "m", null, "ApiKey")]
    [InlineData(LlmProviders.OpenAiCompatible, "m", null, "Endpoint")]
    [InlineData(LlmProviders.AzureOpenAi, null, "https://x.openai.azure.com", "Model")]
    [InlineData("gemini", "m", null, "Unknown")]
    public void Names_the_missing_setting(string provider, string? model, string? endpoint, string missing)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            LlmClientFactory.Create(new LlmOptions { Provider = provider, Model = model, Endpoint = endpoint }));

        Assert.Contains(missing, error.Message);
    }
}
