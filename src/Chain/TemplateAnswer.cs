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
        var text = new StringBuilder(Verdict(schema, context.Prediction, context.Question));
        var contributions = context.Contributions;
        if (contributions.Factors.Count > 0)
            text.Append(" Main factors").Append(Towards(schema, contributions)).Append(": ")
                .AppendJoin(", ", contributions.Factors.Select(f => $"{Named(schema, f)} {Verb(f.Direction)} it ({Signed(f.Contribution)}{Words(f)})"))
                .Append('.');
        if (context.Record.Assumed.Count > 0)
            text.Append(" Assumed from training data (not in the input): ").AppendJoin(", ", context.Record.Assumed).Append('.');
        foreach (var warning in context.Record.Warnings) text.Append(" Note: ").Append(warning);
        return text.Append($" Model {context.Model.Dataset} version {context.Model.Version}.").ToString();
    }

    /// <summary>The prediction; and the probability of any other class the question asks about by name.</summary>
    internal static string Verdict(ModelSchema schema, Prediction prediction, string? question)
    {
        if (prediction.Score is { } score && prediction.Label is null)
            return $"The model predicts {schema.Label} ≈ {Number(score)}.";
        var probability = prediction.Label is not null && prediction.Probabilities?.TryGetValue(prediction.Label, out var p) == true
            ? $" with probability {Number(p)}"
            : "";
        var asked = AskedClasses.In(question, schema).Where(c => c != prediction.Label && prediction.Probabilities?.ContainsKey(c) == true)
            .Select(c => $"{c}: {Number(prediction.Probabilities![c])}").ToArray();
        var others = asked.Length > 0 ? $" ({string.Join(", ", asked)})" : "";
        return $"The model predicts {schema.Label} = {prediction.Label}{probability}{others}.";
    }

    private static string Towards(ModelSchema schema, Contributions contributions) =>
        (schema.Task == MlTask.Regression ? " (contributions to the predicted value" : $" (contributions to the model's score for {contributions.ScoreOf}")
        + $", whose training average is {Number(contributions.BaseValue)})";

    /// <summary>A column and its value; a text column's words say more than its whole text.</summary>
    private static string Named(ModelSchema schema, Factor factor) =>
        schema.Columns.Any(c => c.Name == factor.Column && c.Kind == ColumnKind.Text) ? factor.Column : $"{factor.Column} = {factor.Value ?? "(missing)"}";

    private static string Verb(Direction direction) => direction == Direction.Raises ? "raises" : "lowers";

    private static string Words(Factor factor) =>
        factor.Words is { Count: > 0 } words ? "; words: " + string.Join(", ", words.Select(w => $"\"{w.Text}\" {Signed(w.Contribution)}")) : "";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Number(value);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
