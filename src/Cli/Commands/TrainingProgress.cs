using Serverless.AutoMl;
using Spectre.Console;

namespace Serverless.Cli.Commands;

/// <summary>
/// How a search shows its progress: a live bar (trials, best score, time left) on a terminal, and when stderr is
/// redirected a plain line when the best score improves or at most every few seconds, not one per trial.
/// </summary>
internal static class TrainingProgress
{
    private static readonly TimeSpan PlainLineEvery = TimeSpan.FromSeconds(5);

    public static async Task<T> ShowAsync<T>(IAnsiConsole console, DatasetProfile profile, Func<Action<SearchProgress>, Task<T>> search)
    {
        if (console.Profile.Capabilities.Interactive && !Console.IsErrorRedirected)
            return await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var bar = context.AddTask("searching", maxValue: profile.BudgetSeconds);
                    var result = await search(p =>
                    {
                        bar.Description = Describe(profile, p);
                        bar.Value = Math.Min(p.ElapsedSeconds + profile.PrepareSeconds, bar.MaxValue);
                    });
                    bar.Value = bar.MaxValue;
                    return result;
                });

        var lastLine = DateTime.MinValue;
        double? lastBest = null;
        return await search(p =>
        {
            if (p.BestScore == lastBest && DateTime.UtcNow - lastLine < PlainLineEvery) return;
            console.WriteLine(Describe(profile, p) + $", {p.ElapsedSeconds:0}/{p.BudgetSeconds:0} s");
            (lastLine, lastBest) = (DateTime.UtcNow, p.BestScore);
        });
    }

    private static string Describe(DatasetProfile profile, SearchProgress p) =>
        p.BestScore is { } best
            ? $"{p.TrialsDone} trials ({p.TrialsFailed} failed), best {profile.Metric} {best:0.#####} ({p.BestLearner})"
            : $"{p.TrialsDone} trials";
}
