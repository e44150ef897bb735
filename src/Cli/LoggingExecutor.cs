using Serverless.AutoMl;
using Spectre.Console;

namespace Serverless.Cli;

/// <summary>Reports each finished trial on the progress console.</summary>
internal sealed class LoggingExecutor(ITrialExecutor inner, IAnsiConsole console) : ITrialExecutor
{
    public async Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> batch)
    {
        var results = await inner.RunAsync(batch);
        foreach (var r in results)
            console.MarkupLineInterpolated(
                $"[grey]  trial {r.TrialId} {r.Learner} {r.Status} {r.Score:0.#####} {r.Seconds:0.0}s {r.Error}[/]");
        return results;
    }
}
