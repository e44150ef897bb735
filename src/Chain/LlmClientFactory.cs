using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Identity;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Serverless.Chain;

/// <summary>Creates the raw chat client of the configured provider; null for "none".</summary>
internal static class LlmClientFactory
{
    public static IChatClient? Create(LlmOptions options) => options.Provider.Trim().ToLowerInvariant() switch
    {
        "" or LlmProviders.None => null,
        LlmProviders.OpenAi => OpenAi(Required(options.ApiKey, "ApiKey"), options.Endpoint).GetChatClient(Model(options)).AsIChatClient(),
        LlmProviders.OpenAiCompatible =>
            // Local servers (Ollama, llama.cpp, vLLM, LM Studio) ignore the key but the client requires one.
            OpenAi(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey, Required(options.Endpoint, "Endpoint"))
                .GetChatClient(Model(options)).AsIChatClient(),
        LlmProviders.AzureOpenAi => Azure(options).GetChatClient(Model(options)).AsIChatClient(),
        _ => throw new InvalidOperationException(
            $"Unknown Chain:Llm:Provider '{options.Provider}': use none, openai, azure-openai or openai-compatible."),
    };

    private static OpenAIClient OpenAi(string key, string? endpoint) => endpoint is null
        ? new OpenAIClient(new ApiKeyCredential(key))
        : new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(endpoint) });

    private static AzureOpenAIClient Azure(LlmOptions options)
    {
        var endpoint = new Uri(Required(options.Endpoint, "Endpoint"));
        return string.IsNullOrEmpty(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, new DefaultAzureCredential())
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey));
    }

    private static string Model(LlmOptions options) => Required(options.Model, "Model");

    private static string Required(string? value, string name) => string.IsNullOrWhiteSpace(value)
        ? throw new InvalidOperationException($"Chain:Llm:{name} is required for the provider in Chain:Llm:Provider.")
        : value;
}
