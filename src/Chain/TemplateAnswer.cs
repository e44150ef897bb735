using System.Globalization;
using System.Text;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>The deterministic answer: used with no LLM and whenever the LLM fails.</summary>
public static class TemplateAnswer
{
    public static string Write(AnswerContext context)
    {
        var schema = context.Model.Model.Schema;
        var text = new StringBuilder(Verdict(schema, context.Prediction));
        // A column at its training default moves nothing (effect 0): not worth naming as a reason.
        var factors = context.Factors.Where(f => f.Effect != 0).ToArray();
        if (factors.Length > 0)
            text.Append(" Main factors").Append(Towards(context.Prediction)).Append(": ")
                .AppendJoin(", ", factors.Select(f => $"{f.Column} = {f.Value ?? "(missing)"} ({Signed(f.Effect)})"))
                .Append('.');
        if (context.Record.Assumed.Count > 0)
            text.Append(" Assumed from training data (not in the input): ").AppendJoin(", ", context.Record.Assumed).Append('.');
        foreach (var warning in context.Record.Warnings) text.Append(" Note: ").Append(warning);
        return text.Append($" Model {context.Model.Dataset} version {context.Model.Version}.").ToString();
    }

    private static string Verdict(ModelSchema schema, Prediction prediction)
    {
        if (prediction.Score is { } score && prediction.Label is null)
            return $"The model predicts {schema.Label} ≈ {Number(score)}.";
        var probability = prediction.Label is not null && prediction.Probabilities?.TryGetValue(prediction.Label, out var p) == true
            ? $" with probability {Number(p)}"
            : "";
        return $"The model predicts {schema.Label} = {prediction.Label}{probability}.";
    }

    private static string Towards(Prediction prediction) =>
        prediction.Label is null ? " (effect on the predicted value)" : $" (effect on the probability of {prediction.Label})";

    private static string Signed(double effect) => (effect >= 0 ? "+" : "") + Number(effect);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
