using Microsoft.Extensions.Options;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>The chain: parse → validate → predict → explain → compose, reporting each step as it finishes.</summary>
public sealed class ChainRunner(AnswerComposer composer, IOptions<ChainOptions> options)
{
    /// <exception cref="InvalidRecordException">The input does not fit the model; Fields names the culprits.</exception>
    public async Task<ChainOutput> RunAsync(
        ServedModel served, ChainRequest request, Func<ChainStep, ValueTask>? onStep, CancellationToken ct)
    {
        var model = served.Model;
        var vocabulary = ColumnVocabulary.For(model.Schema);
        var (given, source) = Parse(request, vocabulary);
        await Report(onStep, "parse", new { source, fields = given });

        var record = RecordValidator.Validate(vocabulary, given);
        await Report(onStep, "validate", new { inputs = record.Values, assumed = record.Assumed });

        var prediction = model.Predict(record.Values);
        await Report(onStep, "predict", prediction);

        var factors = model.Explain(record.Values, options.Value.MaxFactors);
        await Report(onStep, "explain", new { factors });

        var question = request.Record is null ? request.Text : null;
        var answer = await composer.ComposeAsync(new AnswerContext(served, question, record, prediction, factors), ct);
        await Report(onStep, "compose", new { llm = answer.Llm, llmError = answer.LlmError });

        return new ChainOutput
        {
            Prediction = (object?)prediction.Label ?? prediction.Score ?? double.NaN,
            Probabilities = prediction.Probabilities,
            Score = prediction.Score,
            Factors = factors,
            Answer = answer.Text,
            Assumed = record.Assumed,
            Inputs = record.Values,
            Dataset = served.Dataset,
            ModelVersion = served.Version,
            Llm = answer.Llm,
            LlmError = answer.LlmError,
        };
    }

    private static (IReadOnlyDictionary<string, string?> Given, string Source) Parse(ChainRequest request, ColumnVocabulary vocabulary)
    {
        if (request.Record is not null) return (request.Record, "record");
        var text = request.Text ?? "";
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidRecordException("The question is empty.", ["question"]);
        // "key: value" text counts as such only when a key names a column: "Question: will they churn?" is a question.
        if (KeyValueText.TryParse(text, out var pairs) && pairs.Keys.Any(k => vocabulary.Resolve(k) is not null))
            return (pairs, "key-value");
        return (QuestionExtractor.For(vocabulary).Extract(text), "question");
    }

    private static ValueTask Report(Func<ChainStep, ValueTask>? onStep, string step, object data) =>
        onStep?.Invoke(new ChainStep(step, data)) ?? ValueTask.CompletedTask;
}
