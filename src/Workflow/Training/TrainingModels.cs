using Serverless.AutoMl;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

// The orchestration's and the activities' messages. They travel through orchestration history, so they carry blob
// names and small summaries, never data. The run's own records (TrainingRequest, TrainingReport) are in Runs.

/// <summary>
/// TrainModel's input: the request it was started for and, when the search continues in a fresh history
/// (ContinueAsNew), where it stands.
/// </summary>
public sealed record TrainModelInput(TrainingRequest Request)
{
    public SearchCheckpoint? Checkpoint { get; init; }

    /// <summary>Trials to run in this order instead of the tuner's (benchmarks and reproductions start runs with it).</summary>
    public IReadOnlyList<TrialConfig>? Proposals { get; init; }

    /// <summary>Where a forecast's search stands when it continues in a fresh history.</summary>
    public ForecastCheckpoint? ForecastCheckpoint { get; init; }
}

/// <summary>What a run carries from one history to the next while it searches.</summary>
public sealed record SearchCheckpoint(DateTime StartedAt, DatasetProfile Profile, SearchState Search, TrialLedger Ledger, int Histories)
{
    /// <summary>The progress timeline so far, so the Studio's charts go on in the next history.</summary>
    public IReadOnlyList<TrialPoint> Timeline { get; init; } = [];
}

/// <summary>Where a run's trials ran: the blobs of their bundles and how many trials each worker ran.</summary>
public sealed record TrialLedger
{
    public TrialBundles Bundles { get; init; } = new();
    public IReadOnlyDictionary<string, int> TrialsPerWorker { get; init; } = new Dictionary<string, int>();

    public TrialLedger Dispatched(int firstTrialId) => this with { Bundles = Bundles.With(firstTrialId) };

    public TrialLedger Ran(string worker, int trials) => this with
    {
        TrialsPerWorker = new Dictionary<string, int>(TrialsPerWorker) { [worker] = TrialsPerWorker.GetValueOrDefault(worker) + trials },
    };
}

public sealed record PrepareInput(string RunId, TrainingRequest Request)
{
    /// <summary>When the run started: the budget counts from there, downloads and queue waits included.</summary>
    public DateTime? BudgetStartedAt { get; init; }
}

public sealed record PrepareOutput(DatasetProfile Profile);

/// <summary>A bundle of trials for one activity, run one after another.</summary>
public sealed record TrialBundleInput(string RunId, IReadOnlyList<TrialConfig> Trials);

public sealed record TrialBundleOutput(string Worker, IReadOnlyList<TrialResult> Results);

/// <param name="Counts">What the search ran in all (it may have kept fewer trials than it ran), for the model card.</param>
public sealed record DeployInput(string RunId, DateTimeOffset StartedAt, TrainingRequest Request, IReadOnlyList<TrialResult> Trials, TrialBundles Bundles,
    TrialCounts? Counts = null);

/// <summary>The version deployed and its card as the run's report needs it (a forecaster's without its charts: the registry keeps the whole card).</summary>
public sealed record DeployOutput(string Version, bool Promoted, string Reason, ModelCard Card);
