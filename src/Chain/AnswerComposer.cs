using Microsoft.Extensions.Logging;

namespace Serverless.Chain;

/// <summary>Writes the answer with the configured LLM, or the template when there is none or it fails.</summary>
public sealed class AnswerComposer(LlmComposer? llm, ILogger<AnswerComposer> logger)
{
    public async Task<ComposedAnswer> ComposeAsync(AnswerContext context, CancellationToken ct)
    {
        if (llm is null) return new ComposedAnswer(TemplateAnswer.Write(context), LlmProviders.None);
        try
        {
            return new ComposedAnswer(await llm.WriteAsync(context, ct), llm.Provider);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The prediction stands on its own: an LLM outage must not fail the request.
            logger.LogWarning(e, "LLM {Provider} failed; answering with the template", llm.Provider);
            return new ComposedAnswer(TemplateAnswer.Write(context), LlmProviders.None, $"{llm.Provider} failed: {e.Message}");
        }
    }
}
