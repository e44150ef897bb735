using Microsoft.Extensions.AI;

namespace Serverless.Chain.Tests;

/// <summary>
/// With an LLM configured, questions are read by the LLM as structured output against the champion's columns; the
/// offline reading checks it and stands in when it fails. The LLM is <see cref="ScriptedTestChatClient"/>.
/// </summary>
[Collection(TrainedModels.Collection)]
public sealed class LlmExtractionTests(TrainedModels models)
{
    private const string Question = "a customer on a two year contract with 40 months of tenure and total charges of 1500";
    private static readonly ChatResponse Answer = ScriptedTestChatClient.Text("""{"answer": "Probably stays."}""");

    [Fact]
    public async Task The_llm_reads_the_question_as_structured_output_against_the_model_columns()
    {
        var llm = new ScriptedTestChatClient(
            _ => ScriptedTestChatClient.Text("""{"values": {"contract": "two year", "tenure": 40, "monthly_charges": null}, "unused": ["customer"]}"""),
            _ => Answer);
        var steps = new List<ChainStep>();

        var output = await ChainRunnerTests.Chain(llm, readQuestions: true).RunAsync(models.Telco, ChainRequest.ForText(Question),
            step => { steps.Add(step); return ValueTask.CompletedTask; }, CancellationToken.None);

        Assert.Equal("Two year", output.Inputs["contract"]); // the model's spelling of the value
        Assert.Equal("40", output.Inputs["tenure"]);
        Assert.Contains("monthly_charges", output.Assumed);
        Assert.Equal(["customer"], output.Ignored);
        Assert.Contains("question-llm", System.Text.Json.JsonSerializer.Serialize(steps[0].Data));
        var format = Assert.IsType<ChatResponseFormatJson>(llm.ReceivedOptions[0]!.ResponseFormat);
        var schema = format.Schema!.Value.GetRawText();
        Assert.Contains("\"monthly_charges\"", schema);
        Assert.Contains("\"Month-to-month\"", schema); // categorical columns list their values
        Assert.Contains(Question, llm.Received[0].Single(m => m.Role == ChatRole.User).Text);
    }

    [Fact]
    public async Task Values_that_do_not_fit_are_dropped_with_a_warning_and_the_offline_reading_fills_in()
    {
        var llm = new ScriptedTestChatClient(
            _ => ScriptedTestChatClient.Text("""{"values": {"shoe_size": 9, "total_charges": "a lot", "contract": "Three year", "tenure": 40}, "unused": []}"""),
            _ => Answer);

        var output = await ChainRunnerTests.Chain(llm, readQuestions: true).RunAsync(models.Telco, ChainRequest.ForText(Question), null, CancellationToken.None);

        Assert.Equal("1500", output.Inputs["total_charges"]); // from the offline reading
        Assert.Equal("Two year", output.Inputs["contract"]);
        Assert.Equal("40", output.Inputs["tenure"]);
        Assert.Contains(output.Warnings, w => w.Contains("shoe_size", StringComparison.Ordinal));
        Assert.Contains(output.Warnings, w => w.Contains("total_charges", StringComparison.Ordinal));
        Assert.Contains(output.Warnings, w => w.Contains("contract", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_llm_that_fails_or_answers_out_of_shape_leaves_the_offline_reading_and_says_so(bool throws)
    {
        var llm = new ScriptedTestChatClient(
            _ => throws ? throw new HttpRequestException("connection refused") : ScriptedTestChatClient.Text("Sure, a two year contract."),
            _ => Answer);

        var output = await ChainRunnerTests.Chain(llm, readQuestions: true).RunAsync(models.Telco, ChainRequest.ForText(Question), null, CancellationToken.None);

        Assert.Equal("Two year", output.Inputs["contract"]);
        Assert.Equal("40", output.Inputs["tenure"]);
        Assert.Equal("1500", output.Inputs["total_charges"]);
        Assert.Contains(output.Warnings, w => w.Contains("read offline", StringComparison.Ordinal));
        Assert.Equal("Probably stays.", output.Answer);
    }
}
