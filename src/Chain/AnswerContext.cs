using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>Everything an answer is written from.</summary>
public sealed record AnswerContext(
    ServedModel Model, string? Question, ValidatedRecord Record, Prediction Prediction, Contributions Contributions);

/// <summary>An answer and who wrote it; LlmError says why a configured LLM did not.</summary>
public sealed record ComposedAnswer(string Text, string Llm, string? LlmError = null);
