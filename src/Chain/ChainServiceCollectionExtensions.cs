using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Key of an <see cref="IChatClient"/> the host may register to replace the configured provider's client
    /// (tests, or a provider this project does not know). It is still wrapped with logging, telemetry and tool calls.
    /// </summary>
    public const string ChatClientKey = "Serverless.Chain";

    /// <summary>Telemetry source name of the LLM calls (add it to the OpenTelemetry tracer).</summary>
    public const string TelemetrySource = "Serverless.Chain";

    /// <summary>Registers the chain and its LLM provider from the "Chain" section. The host registers <see cref="IModelSource"/>.</summary>
    public static IServiceCollection AddChain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChainOptions>().Bind(configuration.GetSection(ChainOptions.Section))
            .Validate(o => o.MaxFactors >= 0 && o.BatchConcurrency > 0 && o.MaxBatchItems > 0 && o.MaxBodyBytes > 0 && o.MaxQuestionChars > 0,
                "Chain: MaxFactors >= 0, BatchConcurrency, MaxBatchItems, MaxBodyBytes and MaxQuestionChars > 0.");
        services.TryAddSingleton(CreateLlm);
        services.TryAddSingleton(sp =>
        {
            var loggers = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var llm = sp.GetRequiredService<ConfiguredLlm>();
            var composer = llm.Client is null ? null : new LlmComposer(llm.Client, llm.Options.Provider, llm.Options);
            return new AnswerComposer(composer, loggers.CreateLogger<AnswerComposer>());
        });
        services.TryAddSingleton(sp =>
        {
            var loggers = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var llm = sp.GetRequiredService<ConfiguredLlm>();
            var extractor = llm.Client is not null && llm.Options.ReadQuestions
                ? new LlmExtractor(llm.Client, llm.Options.Provider, llm.Options)
                : null;
            return new QuestionReader(sp.GetRequiredService<IOptions<ChainOptions>>(), extractor, loggers.CreateLogger<QuestionReader>());
        });
        services.TryAddSingleton<ChainRunner>();
        services.TryAddSingleton<ForecastRunner>();
        return services;
    }

    /// <summary>The configured provider's client (null for none), wrapped once for both the reader and the composer.</summary>
    private static ConfiguredLlm CreateLlm(IServiceProvider services)
    {
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var options = services.GetRequiredService<IOptions<ChainOptions>>().Value.Llm;
        var inner = services.GetKeyedService<IChatClient>(ChatClientKey) ?? LlmClientFactory.Create(options);
        var client = inner is null ? null : new ChatClientBuilder(inner)
            .UseLogging(loggers)
            .UseFunctionInvocation(loggers)
            .UseOpenTelemetry(loggers, TelemetrySource)
            .Build(services);
        return new ConfiguredLlm(client, options);
    }

    private sealed record ConfiguredLlm(IChatClient? Client, LlmOptions Options);
}
