namespace Serverless.Workflow.Runs;

/// <summary>How asking a run to stop ended.</summary>
public enum CancelOutcome
{
    /// <summary>Stopped now, its files released, recorded as cancelled.</summary>
    Cancelled,
    /// <summary>The engine has the termination but has not processed it yet; the run stops shortly.</summary>
    Stopping,
    /// <summary>It had already ended (or ended on its own before the termination arrived).</summary>
    AlreadyEnded,
    NotFound,
}

/// <summary>
/// Stops a run that is still going (an operator's cancel, or a newer run of the same dataset superseding it), releases
/// its working files and records why in its report.
/// </summary>
public sealed class RunCancellation(RunStore store, RunWorkspace workspace)
{
    private static readonly TimeSpan TerminationPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan TerminationWait = TimeSpan.FromSeconds(30);

    public async Task<(CancelOutcome Outcome, RunState? State)> CancelAsync(string instanceId, string reason, ITrainingRuns runs, CancellationToken ct = default)
    {
        var state = await StateAsync(instanceId, runs, ct);
        if (state is null)
            return (CancelOutcome.NotFound, null);
        if (!state.IsActive)
            return (CancelOutcome.AlreadyEnded, state);
        await runs.TerminateAsync(instanceId, reason, ct);
        state = await WhenEndedAsync(instanceId, runs, ct);
        if (state.IsActive)
            return (CancelOutcome.Stopping, state);
        if (state.RuntimeStatus != RuntimeStatus.Terminated)
            return (CancelOutcome.AlreadyEnded, state);
        if (state.Report is null)
        {
            var request = await store.ReadRequestAsync(instanceId, ct);
            var report = new TrainingReport
            {
                Status = RunStatus.Cancelled, Dataset = request?.Dataset ?? "", BlobName = request?.BlobName ?? "", Error = reason,
            };
            await store.WriteReportAsync(instanceId, report, ct);
            await workspace.ReleaseAsync(instanceId, ct);
            state = state with { Report = report };
        }
        return (CancelOutcome.Cancelled, state);
    }

    /// <summary>The orchestration's state, completed by the run's records (a cancelled run's report; a run whose history is gone).</summary>
    public async Task<RunState?> StateAsync(string instanceId, ITrainingRuns runs, CancellationToken ct = default)
    {
        var state = await runs.GetAsync(instanceId, ct);
        if (state?.Report is not null)
            return state;
        var recorded = await store.ReadReportAsync(instanceId, ct);
        if (state is not null)
            return recorded is null ? state : state with { Report = recorded };
        return recorded is null ? null : new RunState { InstanceId = instanceId, RuntimeStatus = RuntimeStatus.Completed, Report = recorded };
    }

    /// <summary>Termination is a message the orchestration processes: wait (briefly) until it has.</summary>
    private async Task<RunState> WhenEndedAsync(string instanceId, ITrainingRuns runs, CancellationToken ct)
    {
        for (var waited = TimeSpan.Zero; ; waited += TerminationPoll)
        {
            var state = await StateAsync(instanceId, runs, ct)
                ?? throw new InvalidOperationException($"Run {instanceId} disappeared while being cancelled.");
            if (!state.IsActive || waited >= TerminationWait)
                return state;
            await Task.Delay(TerminationPoll, ct);
        }
    }
}
