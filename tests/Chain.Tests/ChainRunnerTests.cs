using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>
/// The whole chain on a real trained model. The LLM path uses <see cref="ScriptedTestChatClient"/>: a hosted LLM cannot
/// run on this machine, so the client replays what a model would send (a tool call, then the structured answer).
/// </summary>
[Collection(TrainedModels.Collection)]
public sealed class ChainRunnerTests(TrainedModels models)
{
    private const string Question = "would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?";

    [Fact]
    public async Task Without_an_llm_the_template_answers_and_names_version_assumptions_and_provider()
    {
        var output = await Run(Chain(), ChainRequest.ForText(Question));

        Assert.Equal("none", output.Llm);
        Assert.Null(output.LlmError);
        Assert.Contains((string)output.Prediction, new[] { "Yes", "No" });
        Assert.Equal(1.0, output.Probabilities!.Values.Sum(), 3);
        Assert.Contains($"churn = {output.Prediction}", output.Answer);
        Assert.Contains(models.Telco.Version, output.Answer);
        Assert.Equal(models.Telco.Version, output.ModelVersion);
        Assert.DoesNotContain("contract", output.Assumed);
        Assert.Contains("payment_method", output.Assumed);
        Assert.Contains("payment_method", output.Answer);
        Assert.Equal("Month-to-month", output.Inputs["contract"]);
        Assert.InRange(output.Contributions.Factors.Count, 1, 3);
        var first = output.Contributions.Factors[0];
        var direction = first.Direction == Direction.Raises ? "raises" : "lowers";
        Assert.Contains($"{first.Column} = {first.Value} {direction} it", output.Answer);
        Assert.Contains($"contributions to the model's score for {output.Prediction}", output.Answer);
    }

    [Fact]
    public async Task Reports_each_step_in_order()
    {
        var steps = new List<string>();
        await Chain().RunAsync(models.Telco, ChainRequest.ForText("tenure: 3, contract: Month-to-month"),
            step => { steps.Add(step.Step); return ValueTask.CompletedTask; }, CancellationToken.None);

        Assert.Equal(["parse", "validate", "predict", "explain", "compose"], steps);
    }

    [Fact]
    public async Task The_llm_gets_the_prediction_and_factors_may_call_the_model_and_writes_the_answer()
    {
        var llm = new ScriptedTestChatClient(
            _ => ScriptedTestChatClient.ToolCall("predict_what_if",
                new Dictionary<string, object?> { ["changes"] = new Dictionary<string, string> { ["contract"] = "Two year" } }),
            _ => ScriptedTestChatClient.Text("""{"answer": "Likely to churn; a two-year contract would help."}"""));

        var output = await Run(Chain(llm), ChainRequest.ForText(Question));

        Assert.Equal("scripted-test", output.Llm);
        Assert.Equal("Likely to churn; a two-year contract would help.", output.Answer);
        var facts = llm.Received[0].Single(m => m.Role == ChatRole.User).Text;
        Assert.Contains("\"contributions\"", facts);
        Assert.Contains("\"baseValue\"", facts);
        Assert.Contains(output.Contributions.Factors[0].Column, facts);
        Assert.Contains(Question, facts);
        // The tool really ran the model: its result went back to the LLM with a prediction in it.
        var toolResult = llm.Received[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.Contains("probabilities", JsonSerializer.Serialize(toolResult.Result));
    }

    [Fact]
    public async Task Llm_calls_are_traced_with_OpenTelemetry()
    {
        var traced = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChainServiceCollectionExtensions.TelemetrySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => { lock (traced) traced.Add(activity.DisplayName); },
        };
        ActivitySource.AddActivityListener(listener);

        await Run(Chain(new ScriptedTestChatClient(_ => ScriptedTestChatClient.Text("""{"answer": "ok"}"""))), ChainRequest.ForText(Question));

        Assert.Contains(traced, name => name.StartsWith("chat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_llm_failure_falls_back_to_the_template_and_says_so()
    {
        var llm = new ScriptedTestChatClient(_ => throw new HttpRequestException("connection refused"));

        var output = await Run(Chain(llm), ChainRequest.ForText(Question));

        Assert.Equal("none", output.Llm);
        Assert.Contains("scripted-test failed: connection refused", output.LlmError);
        Assert.StartsWith("The model predicts churn", output.Answer);
    }

    [Fact]
    public async Task An_llm_reply_that_is_not_the_answer_shape_falls_back_too()
    {
        var output = await Run(Chain(new ScriptedTestChatClient(_ => ScriptedTestChatClient.Text("Sure! They will churn."))),
            ChainRequest.ForText(Question));

        Assert.Equal("none", output.Llm);
        Assert.NotNull(output.LlmError);
    }

    [Fact]
    public async Task A_regression_model_answers_with_a_number()
    {
        var output = await Run(Chain(), ChainRequest.ForText("6 rooms per dwelling, tax rate 300"), models.Housing);

        var value = Assert.IsType<double>(output.Prediction);
        Assert.Equal(value, output.Score);
        Assert.Null(output.Probabilities);
        Assert.Contains("MedianHomeValue ≈", output.Answer);
        Assert.Equal("6", output.Inputs["RoomsPerDwelling"]);
    }

    [Fact]
    public async Task A_text_model_reads_the_question_as_its_text()
    {
        var output = await Run(Chain(), ChainRequest.ForText("Is \"you are a stupid idiot, get lost\" toxic?"), models.Detox);

        var text = models.Detox.Model.Schema.Columns.Single(c => c.Kind == ColumnKind.Text).Name;
        Assert.Equal("you are a stupid idiot, get lost", output.Inputs[text]);
        Assert.DoesNotContain(text, output.Assumed);
        Assert.Contains((string)output.Prediction, models.Detox.Model.Schema.Classes!);
        // The text's own words say why, in the contributions and in the answer, not the whole text again.
        var words = output.Contributions.Factors.Single(f => f.Column == text).Words;
        Assert.NotNull(words);
        Assert.All(words, w => Assert.All(w.Text.Split(' '), word => Assert.Contains(word, output.Inputs[text])));
        Assert.Contains($"{text} {(output.Contributions.Factors.Single(f => f.Column == text).Direction == Direction.Raises ? "raises" : "lowers")} it", output.Answer);
        Assert.Contains($"\"{words[0].Text}\"", output.Answer);
    }

    private Task<ChainOutput> Run(ChainRunner chain, ChainRequest request, ServedModel? served = null) =>
        chain.RunAsync(served ?? models.Telco, request, null, CancellationToken.None);

    /// <summary>
    /// The runner as the hosts get it from AddChain, with the test client in place of a provider's. These tests script
    /// the answer only: the LLM reads no questions unless <paramref name="readQuestions"/> (see LlmExtractionTests).
    /// </summary>
    internal static ChainRunner Chain(IChatClient? llm = null, bool readQuestions = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Chain:Llm:Provider"] = llm is null ? "none" : "scripted-test",
            ["Chain:Llm:ReadQuestions"] = readQuestions.ToString(),
        };
        var services = new ServiceCollection().AddChain(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (llm is not null) services.AddKeyedSingleton(ChainServiceCollectionExtensions.ChatClientKey, llm);
        return services.BuildServiceProvider().GetRequiredService<ChainRunner>();
    }
}
