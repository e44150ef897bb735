using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>
/// Has an LLM write the answer from the prediction and its contributions, as structured output. The model is offered as a
/// what-if tool, so the LLM can say what would change the outcome.
/// </summary>
public sealed class LlmComposer(IChatClient client, string provider, LlmOptions options)
{
    private const string Instructions =
        """
        You explain a machine-learning model's prediction to a non-expert in two to four plain sentences.
        Use only the facts given: the prediction, its probabilities or score, the contributions and the fields that
        were assumed because the user did not give them; name those. Contributions split the model's raw score for the
        predicted class (or the predicted value) into a base value, its average over the training data, plus one
        contribution per column: a factor that "raises" pushes toward the prediction, one that "lowers" pushes against
        it; a text column's words are the words of the text that pushed most. Raw scores are not probabilities.
        Mention the warnings, and the parts of the question that were not understood ("ignored"), if any.
        You may call predict_what_if to check how the prediction changes when some fields change.
        Do not invent numbers.
        """;

    public string Provider { get; } = provider;

    public Task<string> WriteAsync(AnswerContext context, CancellationToken ct) =>
        WriteAsync(Instructions, Facts(context), options.UseTools ? [WhatIfTool(context)] : [], ct);

    /// <summary>Has the LLM answer as its instructions say, from the facts (sent as JSON), with the tools offered.</summary>
    public async Task<string> WriteAsync(string instructions, object facts, IList<AITool> tools, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        List<ChatMessage> messages =
        [
            new(ChatRole.System, instructions),
            new(ChatRole.User, JsonSerializer.Serialize(facts, ChainJson.Options)),
        ];
        var chatOptions = new ChatOptions { Temperature = 0 };
        if (tools.Count > 0) chatOptions.Tools = tools;
        var response = await client.GetResponseAsync<LlmAnswer>(messages, ChainJson.Options, chatOptions, cancellationToken: timeout.Token);
        return response.TryGetResult(out var answer) && !string.IsNullOrWhiteSpace(answer?.Answer)
            ? answer.Answer.Trim()
            : throw new InvalidOperationException("The LLM returned no answer in the expected JSON shape.");
    }

    private static object Facts(AnswerContext context) => new
    {
        question = context.Question,
        dataset = context.Model.Dataset,
        target = context.Model.Model.Schema.Label,
        task = context.Model.Model.Schema.Task.ToString(),
        prediction = context.Prediction,
        contributions = context.Contributions,
        inputs = context.Record.Values,
        assumed = context.Record.Assumed,
        ignored = context.Record.Ignored,
        warnings = context.Record.Warnings,
    };

    private static AIFunction WhatIfTool(AnswerContext context)
    {
        var vocabulary = ColumnVocabulary.For(context.Model.Model.Schema);
        return AIFunctionFactory.Create(
            ([Description("Fields to change, column name to new value.")] Dictionary<string, string> changes) =>
            {
                var changed = new Dictionary<string, string?>(context.Record.Values);
                foreach (var (key, value) in changes) changed[key] = value;
                return context.Model.Model.Predict(RecordValidator.Validate(vocabulary, changed).Values);
            },
            "predict_what_if",
            "Predicts again with some input fields changed; returns the new prediction.");
    }

    /// <summary>The structured output the LLM must return.</summary>
    internal sealed record LlmAnswer([property: Description("The answer for the user, in plain language.")] string Answer);
}
