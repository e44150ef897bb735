using System.Diagnostics;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

public sealed class WorkflowActivityTests
{
    private sealed class EchoActivity : WorkflowActivity<string, string>
    {
        protected override Task<string> RunCoreAsync(string input) =>
            input == "boom" ? throw new InvalidOperationException("bad input") : Task.FromResult(input.ToUpperInvariant());
    }

    private static List<Activity> Listen()
    {
        var spans = new List<Activity>();
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Telemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return spans;
    }

    [Fact]
    public async Task Every_activity_runs_in_a_span_named_after_it()
    {
        var spans = Listen();
        Assert.Equal("HI", await new EchoActivity().ExecuteAsync("hi"));
        var span = Assert.Single(spans, s => s.OperationName == "Echo");
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_failing_activity_marks_its_span_and_still_throws()
    {
        var spans = Listen();
        await Assert.ThrowsAsync<InvalidOperationException>(() => new EchoActivity().ExecuteAsync("boom"));
        var span = Assert.Single(spans, s => s.OperationName == "Echo" && s.Status == ActivityStatusCode.Error);
        Assert.Equal("bad input", span.StatusDescription);
    }
}
