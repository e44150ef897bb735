namespace Serverless.AutoMl;

/// <summary>Runs a slot's trials on a thread-pool task in this process (the CLI's and tests' executor).</summary>
public sealed class InProcessTrialExecutor(AutoMlEngine engine, string workDir, CancellationToken ct = default) : ITrialExecutor
{
    public Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> trials) =>
        Task.Run(IReadOnlyList<TrialResult> () => [.. trials.Select(config => engine.RunTrial(workDir, config, ct))], ct);

    /// <summary>A long run on small data writes thousands of out-of-fold files a minute: the forgotten ones go.</summary>
    public void Forget(IReadOnlyList<int> trialIds) => AutoMlEngine.ForgetTrials(workDir, trialIds);
}
