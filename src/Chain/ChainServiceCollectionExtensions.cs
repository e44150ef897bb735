using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
            .Validate(o => o.MaxFactors >= 0 && o.BatchConcurrency > 0 && o.MaxBatchItems > 0 && o.MaxBodyBytes > 0,
                "Chain: MaxFactors >= 0, BatchConcurrency, MaxBatchItems and MaxBodyBytes > 0.");
        services.TryAddSingleton(sp =>
        {
            var loggers = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return new AnswerComposer(CreateLlmComposer(sp, loggers), loggers.CreateLogger<AnswerComposer>());
        });
        services.TryAddSingleton<ChainRunner>();
        return services;
    }

    private static LlmComposer? CreateLlmComposer(IServiceProvider services, ILoggerFactory loggers)
    {
        var options = services.GetRequiredService<IOptions<ChainOptions>>().Value.Llm;
        var inner = services.GetKeyedService<IChatClient>(ChatClientKey) ?? LlmClientFactory.Create(options);
        if (inner is null) return null;
        var client = new ChatClientBuilder(inner)
            .UseLogging(loggers)
            .UseFunctionInvocation(loggers)
            .UseOpenTelemetry(loggers, TelemetrySource)
            .Build(services);
        return new LlmComposer(client, options.Provider, options);
    }
}
