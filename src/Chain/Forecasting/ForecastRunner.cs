using System.Text.Json;
using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain.Forecasting;

/// <summary>The chain of a forecaster: parse (a record, or a question read offline) → forecast → compose.</summary>
public sealed class ForecastRunner(AnswerComposer composer)
{
    /// <exception cref="InvalidRecordException">The input does not fit the forecaster; Fields names the culprits.</exception>
    public async Task<ForecastOutput> RunAsync(ServedForecaster served, ForecastRequest request, Func<ChainStep, ValueTask>? onStep, CancellationToken ct)
    {
        var card = served.Forecaster.Card;
        if (request.Question is { } text && string.IsNullOrWhiteSpace(text))
            throw new InvalidRecordException("The question is empty.", ["question"]);
        var reading = request.Question is { } question
            ? HorizonReader.Read(question, card.Input)
            : new HorizonReading(request.Steps, null, request.Series, []);
        var steps = reading.Steps ?? card.Input.Horizon;
        if (steps < 1 || steps > Forecaster.MaxHorizons * card.Input.Horizon)
            throw new InvalidRecordException(
                $"The horizon must be 1 to {Forecaster.MaxHorizons * card.Input.Horizon} steps (up to {card.Input.Horizon} were backtested); it is {steps}.",
                [ForecastRequest.HorizonField]);
        var (series, given) = (reading.Series, request.Known.AsEnumerable());
        // The series column's own name works as "series" does.
        if (series is null && card.SeriesColumn is { } column
            && request.Known.FirstOrDefault(k => string.Equals(k.Key, column, StringComparison.OrdinalIgnoreCase)) is { Key: { } key, Value: var id })
            (series, given) = (id.ValueKind == JsonValueKind.String ? id.GetString() : id.GetRawText(), request.Known.Where(k => k.Key != key));
        var known = new Dictionary<string, IReadOnlyList<double>>(ForecastRequest.KnownValues(given, steps), StringComparer.OrdinalIgnoreCase);
        if (reading.Rest is { } rest)
            foreach (var (name, value) in KnownValuesReader.Read(rest, card.Target, card.Input))
                known.TryAdd(name, Enumerable.Repeat(value, steps).ToArray());
        IReadOnlyList<string> assumed =
        [
            .. reading.Steps is null ? [ForecastRequest.HorizonField] : Array.Empty<string>(),
            .. card.Input.KnownColumns.Select(k => k.Name).Where(name => !known.Keys.Contains(name, StringComparer.OrdinalIgnoreCase)),
        ];
        await Report(onStep, "parse", new { source = request.Question is null ? "record" : "question", steps, series, span = reading.Span, assumed });

        var forecast = served.Forecaster.Forecast(steps, series, known);
        await Report(onStep, "forecast", new { series = forecast.Series, forecast = forecast.Points, warnings = forecast.Warnings });

        var span = reading.Span ?? HorizonReader.Describe(steps, card.Input.Frequency);
        var context = new ForecastAnswerContext(served, request.Question, forecast, span, assumed, [.. reading.Notes, .. forecast.Warnings]) { Period = reading.Period };
        var answer = await composer.ComposeAsync(() => ForecastAnswer.Write(context),
            (llm, c) => llm.WriteAsync(ForecastAnswer.Instructions, ForecastAnswer.Facts(context), [], c), ct);
        await Report(onStep, "compose", new { llm = answer.Llm, llmError = answer.LlmError });

        return new ForecastOutput
        {
            Forecast = forecast.Points,
            Target = card.Target,
            Series = forecast.Series,
            Steps = steps,
            Frequency = card.Input.Frequency,
            Answer = answer.Text,
            Assumed = assumed,
            Warnings = context.Warnings,
            Coverage = card.Coverage,
            Dataset = served.Dataset,
            ModelVersion = served.Version,
            Llm = answer.Llm,
            LlmError = answer.LlmError,
        };
    }

    private static ValueTask Report(Func<ChainStep, ValueTask>? onStep, string step, object data) =>
        onStep?.Invoke(new ChainStep(step, data)) ?? ValueTask.CompletedTask;
}
