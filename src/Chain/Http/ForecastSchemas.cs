using System.Globalization;
using System.Text.Json.Nodes;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain.Http;

/// <summary>JSON Schemas of a forecaster's invoke body and response, from its card's input schema.</summary>
public static class ForecastSchemas
{
    public static JsonNode Input(ServedForecaster served) => ChainSchemas.InvokeBody(
        $"{served.Dataset} forecast input (forecaster {served.Version})", Record(served.Forecaster.Card),
        "A question in plain language: how far ahead (\"the next 6 months\", \"next quarter\") and, with several series, which one.");

    /// <summary>What a forecast record holds: the steps, the series (when there are several), the known columns' future values.</summary>
    public static JsonObject Record(ForecastCard card)
    {
        var input = card.Input;
        var properties = new JsonObject
        {
            [ForecastRequest.HorizonField] = new JsonObject
            {
                ["type"] = "integer", ["minimum"] = 1, ["maximum"] = Forecaster.MaxHorizons * input.Horizon, ["default"] = input.Horizon,
                ["description"] = $"Steps to forecast after the series' last timestamp ({HorizonReader.FrequencyName(input.Frequency)}); " +
                                  $"up to {input.Horizon} were backtested, more are forecast with a warning.",
            },
        };
        if (input.Series.Any(s => s.Id is not null))
            properties[ForecastRequest.SeriesField] = new JsonObject
            {
                ["enum"] = ChainSchemas.Strings(input.Series.Select(s => s.Id ?? "")),
                ["description"] = $"The series to forecast (the values of {card.SeriesColumn}); required when there are several.",
            };
        foreach (var known in input.KnownColumns)
            properties[known.Name] = new JsonObject
            {
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "number" },
                    new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" } }),
                ["description"] = "Known in advance: one value per step (an array) or one for every step; seen in training from " +
                                  $"{known.Min.ToString(CultureInfo.InvariantCulture)} to {known.Max.ToString(CultureInfo.InvariantCulture)}. " +
                                  "Left out, it repeats its value one season earlier.",
            };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "What to forecast; the horizon left out is the backtested one.",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    public static JsonNode Output(ServedForecaster served)
    {
        var card = served.Forecaster.Card;
        var output = ChainSchemas.OutputOf<ForecastOutput>();
        if (card.Input.Series.Any(s => s.Id is not null))
            output["properties"]!.AsObject()["series"] = new JsonObject { ["enum"] = ChainSchemas.Strings(card.Input.Series.Select(s => s.Id ?? "")) };
        return ChainSchemas.Response(
            $"{served.Dataset} output (forecaster {served.Version}, {HorizonReader.FrequencyName(card.Input.Frequency)} forecast of {card.Target})", output);
    }
}
