using Microsoft.Extensions.Logging;

namespace Serverless.Chain;

/// <summary>Writes the answer with the configured LLM, or the template when there is none or it fails.</summary>
public sealed class AnswerComposer(LlmComposer? llm, ILogger<AnswerComposer> logger)
{
    public Task<ComposedAnswer> ComposeAsync(AnswerContext context, CancellationToken ct) =>
        ComposeAsync(() => TemplateAnswer.Write(context), (composer, c) => composer.WriteAsync(context, c), ct);

    /// <summary>The LLM's answer (written by <paramref name="write"/>) when one is configured and answers; the template's otherwise.</summary>
    public async Task<ComposedAnswer> ComposeAsync(Func<string> template, Func<LlmComposer, CancellationToken, Task<string>> write, CancellationToken ct)
    {
        if (llm is null) return new ComposedAnswer(template(), LlmProviders.None);
        try
        {
            return new ComposedAnswer(await write(llm, ct), llm.Provider);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The prediction stands on its own: an LLM outage must not fail the request.
            logger.LogWarning(e, "LLM {Provider} failed; answering with the template", llm.Provider);
            return new ComposedAnswer(template(), LlmProviders.None, $"{llm.Provider} failed: {e.Message}");
        }
    }
}
