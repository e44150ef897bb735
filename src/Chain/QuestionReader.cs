using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>Where the record the model saw came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InputSource>))]
public enum InputSource
{
    [JsonStringEnumMemberName("record")] Record,
    [JsonStringEnumMemberName("key-value")] KeyValue,
    /// <summary>A question read offline.</summary>
    [JsonStringEnumMemberName("question")] Question,
    /// <summary>A question read by the configured LLM (checked by the offline reading).</summary>
    [JsonStringEnumMemberName("question-llm")] QuestionWithLlm,
}

/// <summary>Text read into a record, and how.</summary>
public sealed record ReadQuestion(QuestionExtraction Extraction, InputSource Source);

/// <summary>
/// Reads text into column values: "key: value" pairs as they are; a question offline always (it is cheap and needs
/// nothing), and with the LLM too when one is configured, the offline reading then checking the LLM's and standing in
/// when the LLM fails.
/// </summary>
public sealed class QuestionReader(IOptions<ChainOptions> options, LlmExtractor? llm = null, ILogger<QuestionReader>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<QuestionReader>.Instance;

    public async Task<ReadQuestion> ReadAsync(ModelSchema schema, string question, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(question)) throw new InvalidRecordException("The question is empty.", ["question"]);
        var vocabulary = ColumnVocabulary.For(schema);
        // "key: value" text counts as such only when its keys name columns: "Question: will it sell?" is a question.
        // Text longer than a question may be is read as one (and cut), so its cost stays bounded.
        if (question.Length <= options.Value.MaxQuestionChars && KeyValueText.TryParse(question, out var pairs) &&
            KeyValueRecord.Read(vocabulary, pairs) is { } keyed)
            return new ReadQuestion(keyed, InputSource.KeyValue);
        var offline = QuestionExtractor.For(vocabulary).Extract(question, options.Value.MaxQuestionChars, ct);
        if (llm is null) return new ReadQuestion(offline, InputSource.Question);
        try
        {
            return new ReadQuestion(await llm.ExtractAsync(vocabulary, question, offline, options.Value.MaxQuestionChars, ct), InputSource.QuestionWithLlm);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The offline reading stands on its own: an LLM outage must not fail the request.
            _logger.LogWarning(e, "LLM {Provider} could not read the question; read offline", llm.Provider);
            return new ReadQuestion(
                offline with { Warnings = [.. offline.Warnings, $"The question was read offline: {llm.Provider} failed ({e.Message})."] },
                InputSource.Question);
        }
    }
}
