using Serverless.Workflow.Runs;

namespace Serverless.LocalHost;

/// <summary>
/// Drops this worker's copies of runs that have ended, every <c>LocalHost:SweepSeconds</c> (default 30): a worker that
/// ran some of a run's trials but not its last step would otherwise keep them until its next activity.
/// </summary>
public sealed class WorkspaceSweeper(RunWorkspace workspace, IConfiguration configuration, ILogger<WorkspaceSweeper> logger) : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(configuration.GetValue("LocalHost:SweepSeconds", 30.0));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await workspace.SweepAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sweeping the local copies of ended runs failed; retrying");
            }
        }
    }
}
