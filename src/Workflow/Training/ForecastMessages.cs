using Serverless.AutoMl.Forecasting;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

// A forecast run's messages: like the tabular ones, names and small summaries, never data. Prepare takes the same
// PrepareInput and Deploy answers the same DeployOutput as the tabular steps.

/// <summary>What a forecast run carries from one history to the next while it searches.</summary>
public sealed record ForecastCheckpoint(DateTime StartedAt, ForecastProfile Profile, ForecastSearchState Search, int Histories)
{
    /// <summary>Fold backtests each worker has run.</summary>
    public IReadOnlyDictionary<string, int> FoldsPerWorker { get; init; } = new Dictionary<string, int>();
    /// <summary>The progress timeline so far, so the Studio's charts go on in the next history.</summary>
    public IReadOnlyList<TrialPoint> Timeline { get; init; } = [];
}

/// <summary>One candidate's backtest on one fold.</summary>
public sealed record ForecastFoldInput(string RunId, ForecastCandidate Candidate, int Fold);

public sealed record ForecastFoldOutput(string Worker, CandidateResult Result);

public sealed record DeployForecasterInput(
    string RunId, DateTimeOffset StartedAt, TrainingRequest Request, ForecastProfile Profile, IReadOnlyList<CandidateResult> Candidates);
