using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Chain.Tests;

/// <summary>Real providers, run only where their environment variables are set; skipped otherwise (always, on this machine).</summary>
[Collection(TrainedModels.Collection)]
public sealed class LiveLlmTests(TrainedModels models)
{
    [SkippableFact]
    public Task Answers_through_openai() => AnswersWith(LlmProviders.OpenAi, Env("OPENAI_API_KEY"), null, Env("OPENAI_MODEL") ?? "gpt-4o-mini");

    [SkippableFact]
    public Task Answers_through_azure_openai() => AnswersWith(LlmProviders.AzureOpenAi, Env("AZURE_OPENAI_API_KEY"),
        Required("AZURE_OPENAI_ENDPOINT"), Required("AZURE_OPENAI_DEPLOYMENT"));

    [SkippableFact]
    public Task Answers_through_an_openai_compatible_server() => AnswersWith(LlmProviders.OpenAiCompatible, Env("OPENAI_COMPATIBLE_API_KEY"),
        Required("OPENAI_COMPATIBLE_ENDPOINT"), Required("OPENAI_COMPATIBLE_MODEL"));

    private async Task AnswersWith(string provider, string? key, string? endpoint, string model)
    {
        Skip.If(provider == LlmProviders.OpenAi && key is null, "OPENAI_API_KEY is not set");
        var settings = new Dictionary<string, string?>
        {
            ["Chain:Llm:Provider"] = provider, ["Chain:Llm:ApiKey"] = key,
            ["Chain:Llm:Endpoint"] = endpoint, ["Chain:Llm:Model"] = model,
        };
        var chain = new ServiceCollection().AddChain(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider().GetRequiredService<ChainRunner>();

        var output = await chain.RunAsync(models.Telco,
            ChainRequest.ForText("would a customer on a month-to-month contract paying 80 a month churn?"), null, CancellationToken.None);

        Assert.Null(output.LlmError);
        Assert.Equal(provider, output.Llm);
        Assert.False(string.IsNullOrWhiteSpace(output.Answer));
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static string Required(string name)
    {
        var value = Env(name);
        Skip.If(value is null, $"{name} is not set");
        return value!;
    }
}
