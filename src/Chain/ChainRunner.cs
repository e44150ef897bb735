using Microsoft.Extensions.Options;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>The chain: parse → validate → predict → explain → compose, reporting each step as it finishes.</summary>
public sealed class ChainRunner(AnswerComposer composer, QuestionReader reader, IOptions<ChainOptions> options)
{
    /// <exception cref="InvalidRecordException">The input does not fit the model; Fields names the culprits.</exception>
    public async Task<ChainOutput> RunAsync(
        ServedModel served, ChainRequest request, Func<ChainStep, ValueTask>? onStep, CancellationToken ct)
    {
        var model = served.Model;
        var vocabulary = ColumnVocabulary.For(model.Schema);
        var (given, source) = await ParseAsync(served, request, ct);
        await Report(onStep, "parse", new { source, fields = given.Values, ignored = given.Ignored });

        var validated = RecordValidator.Validate(vocabulary, given.Values);
        var record = validated with
        {
            Ignored = [.. given.Ignored, .. validated.Ignored],
            Warnings = [.. given.Warnings, .. validated.Warnings],
        };
        await Report(onStep, "validate", new { inputs = record.Values, assumed = record.Assumed, warnings = record.Warnings });

        var prediction = model.Predict(record.Values);
        await Report(onStep, "predict", prediction);

        var contributions = model.Explain(record.Values, options.Value.MaxFactors);
        await Report(onStep, "explain", contributions);

        var question = request.Record is null ? request.Text : null;
        var answer = await composer.ComposeAsync(new AnswerContext(served, question, record, prediction, contributions), ct);
        await Report(onStep, "compose", new { llm = answer.Llm, llmError = answer.LlmError });

        return new ChainOutput
        {
            Prediction = (object?)prediction.Label ?? prediction.Score ?? double.NaN,
            Probabilities = prediction.Probabilities,
            Score = prediction.Score,
            Contributions = contributions,
            Answer = answer.Text,
            Assumed = record.Assumed,
            Ignored = record.Ignored,
            Warnings = record.Warnings,
            Inputs = record.Values,
            Dataset = served.Dataset,
            ModelVersion = served.Version,
            Llm = answer.Llm,
            LlmError = answer.LlmError,
        };
    }

    private async Task<(QuestionExtraction Given, InputSource Source)> ParseAsync(ServedModel served, ChainRequest request, CancellationToken ct)
    {
        if (request.Record is not null) return (new QuestionExtraction(request.Record, [], []), InputSource.Record);
        var read = await reader.ReadAsync(served.Model.Schema, request.Text ?? "", ct);
        return (read.Extraction, read.Source);
    }

    private static ValueTask Report(Func<ChainStep, ValueTask>? onStep, string step, object data) =>
        onStep?.Invoke(new ChainStep(step, data)) ?? ValueTask.CompletedTask;
}
