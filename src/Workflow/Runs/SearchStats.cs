namespace Serverless.Workflow.Runs;

/// <summary>How a run's search used the deployment: where its trials ran and how busy its slots were.</summary>
public sealed record SearchStats
{
    /// <summary>Trials the search kept running at once.</summary>
    public required int ParallelTrials { get; init; }
    /// <summary>From the first trial's start to the last trial's end.</summary>
    public required double Seconds { get; init; }
    /// <summary>Activities that ran trials (a bundle of short trials is one).</summary>
    public required int Activities { get; init; }
    /// <summary>Orchestration histories the search used (it continues in a fresh one every so many activities).</summary>
    public required int Histories { get; init; }
    /// <summary>Time the trials took, as a share of the slots' time: what the round trips and waits did not use up.</summary>
    public required double SlotUtilization { get; init; }
    public required IReadOnlyDictionary<string, int> TrialsPerWorker { get; init; }
}
