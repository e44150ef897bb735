namespace Serverless.AutoMl;

/// <summary>Runs a batch of trials in parallel in this process, one task per trial (the CLI's and tests' executor).</summary>
public sealed class InProcessTrialExecutor(AutoMlEngine engine, string workDir, CancellationToken ct = default) : ITrialExecutor
{
    public async Task<IReadOnlyList<TrialResult>> RunAsync(IReadOnlyList<TrialConfig> batch) =>
        await Task.WhenAll(batch.Select(config => Task.Run(() => engine.RunTrial(workDir, config, ct), ct)));
}
