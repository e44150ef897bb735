using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Serverless.AutoMl.Forecasting;

/// <summary>Forecasting settings that are not part of a user's spec.</summary>
public sealed record ForecastOptions
{
    /// <summary>Backtest folds at most; fewer when the shortest series has no room for them.</summary>
    public int MaxFolds { get; init; } = 8;

    public int DefaultBudgetSeconds { get; init; } = 120;

    /// <summary>Ragged rows tolerated and dropped, as a fraction of rows (as the engine does).</summary>
    public double RaggedRowTolerance { get; init; } = 0.01;
}

/// <summary>
/// The forecasting engine, in the engine's three file-based steps: Prepare (read, profile, write the series),
/// RunCandidate (backtest one method on every fold or one), Finish (choose, refit, calibrate intervals, package).
/// Each step reads only the work directory, so they can run as separate activities on a copy of it.
/// </summary>
public sealed class ForecastEngine
{
    /// <summary>Share of the budget one candidate may take (as the engine's trial timeout).</summary>
    private const double CandidateTimeoutShare = 0.25;

    private readonly ForecastOptions _options;

    static ForecastEngine()
    {
        // The engine's static constructor sets LightGBM's OpenMP wait policy, which must happen before LightGBM loads.
        RuntimeHelpers.RunClassConstructor(typeof(AutoMlEngine).TypeHandle);
    }

    public ForecastEngine(ForecastOptions? options = null) => _options = options ?? new ForecastOptions();

    /// <summary>
    /// Reads the file, infers the columns' roles and the frequency, puts the series on their grid, and writes
    /// profile.json and series.json into workDir. Throws InvalidDatasetException when the data cannot be a series. The
    /// budget's clock starts at <paramref name="budgetStartedAt"/> when the caller spent time on the run before (a host
    /// downloading the files, a run waiting for a worker), else now: the search gets what is left.
    /// </summary>
    public ForecastProfile Prepare(string csvPath, ForecastSpec spec, string workDir, DateTime? budgetStartedAt = null)
    {
        var spentBefore = budgetStartedAt is { } startedAt ? Math.Max(0, (DateTime.UtcNow - startedAt).TotalSeconds) : 0;
        var clock = Stopwatch.StartNew();
        var reading = SeriesReader.Read(csvPath, spec, _options.RaggedRowTolerance);
        var calendar = reading.Set.Calendar;
        var horizon = spec.Horizon ?? calendar.DefaultHorizon;
        if (horizon < 1) throw new InvalidDatasetException($"The horizon must be at least 1 step; it is {horizon}.");
        var shortest = reading.Set.Series.MinBy(s => s.Length)!;
        var minimumHistory = MinimumHistory(calendar.SeasonalPeriod);
        var budget = spec.BudgetSeconds ?? _options.DefaultBudgetSeconds;
        var (folds, stride) = FoldPlan(shortest.Length, horizon, minimumHistory, Math.Clamp(budget / SecondsPerFold, MinFolds, _options.MaxFolds));
        if (folds < 1)
            throw new InvalidDatasetException(
                $"{SeriesReader.Name(shortest.Id)} has {shortest.Length} {calendar.Frequency} points; forecasting {horizon} steps needs at least " +
                $"{minimumHistory + horizon} ({minimumHistory} to learn from and {horizon} to test on). Use a shorter horizon or more history.");
        var profile = new ForecastProfile
        {
            TimeColumn = reading.TimeColumn, Target = reading.Target, SeriesColumn = reading.SeriesColumn,
            Frequency = calendar.Frequency, SeasonalPeriod = calendar.SeasonalPeriod, Horizon = horizon, Folds = folds, FoldStride = stride,
            Series = reading.Profiles, KnownColumns = reading.Known, PastColumns = reading.Past, DroppedColumns = reading.Dropped,
            PositiveTarget = reading.Set.Series.All(s => s.Values.All(v => v > 0)), Notes = reading.Notes, Rows = reading.Rows,
            BudgetSeconds = budget, Seed = spec.Seed ?? 0,
            ParallelCandidates = Math.Clamp(spec.ParallelCandidates ?? Environment.ProcessorCount, 1, 64),
            CandidateTimeoutSeconds = Math.Max(5, CandidateTimeoutShare * budget), PrepareSeconds = 0,
        };
        ForecastWorkDir.Write(ForecastWorkDir.SeriesPath(workDir), reading.Set);
        profile = profile with { PrepareSeconds = Math.Round(spentBefore + clock.Elapsed.TotalSeconds, 3) };
        ForecastWorkDir.Write(ForecastWorkDir.ProfilePath(workDir), profile);
        return profile;
    }

    /// <summary>Points of history the first backtest fold learns from at least: a season and a bit, and never fewer than 8.</summary>
    private static int MinimumHistory(int period) => Math.Max(8, period + 2);

    /// <summary>Folds a series with room for them gets at least, back to back (fewer when it has no room).</summary>
    private const int MinFolds = 4;

    /// <summary>
    /// Budget seconds per fold beyond MinFolds: every fold adds to every candidate's cost, so a small budget keeps
    /// MinFolds and leaves the search its candidates (60 s: 6 folds; 120 s: 8).
    /// </summary>
    private const int SecondsPerFold = 10;

    /// <summary>
    /// The backtest's folds and the stride between their cutoffs. A long series gets up to maxFolds spread evenly over
    /// its later half (at least a horizon apart): the last few horizons alone are one regime, and a selection made on
    /// them is noisy. A short one gets back-to-back folds, at least MinFolds where its minimum history allows.
    /// </summary>
    internal static (int Folds, int Stride) FoldPlan(int length, int horizon, int minimumHistory, int maxFolds)
    {
        var latest = length - horizon;
        if (latest < minimumHistory) return (0, horizon);
        var earliest = Math.Max(minimumHistory, length / 2);
        var spread = Math.Min(maxFolds, (latest - earliest) / horizon + 1);
        var backToBack = Math.Min(Math.Min(maxFolds, MinFolds), (latest - minimumHistory) / horizon + 1);
        return spread >= backToBack
            ? (spread, spread > 1 ? Math.Max(horizon, (latest - earliest) / (spread - 1)) : horizon)
            : (backToBack, horizon);
    }

    /// <summary>
    /// Backtests a candidate on every fold (fold null) or on one, storing its forecasts per fold. Failures and timeouts
    /// come back as the result's Status and Error. Safe to run concurrently and to repeat; per-fold results combine
    /// with <see cref="CandidateResult.Combine"/>.
    /// </summary>
    public CandidateResult RunCandidate(string workDir, ForecastCandidate candidate, int? fold = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var profile = ForecastWorkDir.ReadProfile(workDir);
        if (fold is { } f && (f < 0 || f >= profile.Folds))
            throw new ArgumentOutOfRangeException(nameof(fold), $"fold {f} is not one of the profile's {profile.Folds} folds");
        var folds = fold is { } one ? [one] : Enumerable.Range(0, profile.Folds).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(profile.CandidateTimeoutSeconds));
        CandidateResult Result(TrialStatus status, ErrorTotals? totals = null, string? error = null) => new()
        {
            CandidateId = candidate.Id, Method = candidate.Method, Status = status, Folds = folds, Totals = totals ?? ErrorTotals.Empty,
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3), Error = error,
        };
        try
        {
            var set = ForecastWorkDir.ReadSeries(workDir);
            var context = Context(profile, set);
            var totals = ErrorTotals.Empty;
            foreach (var k in folds)
            {
                timeout.Token.ThrowIfCancellationRequested();
                var forecast = Backtest.RunFold(set, context, candidate.Method, k, profile.FoldStride, timeout.Token);
                ForecastWorkDir.Write(ForecastWorkDir.FoldPath(workDir, candidate.Id, k), forecast);
                totals = totals.Add(Backtest.Totals(forecast.Series));
            }
            var finite = double.IsFinite(totals.AbsoluteError) && double.IsFinite(totals.SquaredError);
            return finite ? Result(TrialStatus.Succeeded, totals) : Result(TrialStatus.Failed, error: "the forecasts overflowed");
        }
        catch (Exception e) when (e is not OutOfMemoryException && timeout.IsCancellationRequested)
        {
            return Result(ct.IsCancellationRequested ? TrialStatus.Failed : TrialStatus.TimedOut,
                error: ct.IsCancellationRequested ? "cancelled" : $"exceeded the candidate timeout of {profile.CandidateTimeoutSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result(TrialStatus.Failed, error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Chooses the final forecast (the best candidate or a blend that backtests better), refits it on all the data,
    /// calibrates its intervals on its backtest residuals and writes the forecaster package to packagePath.
    /// </summary>
    public ForecastCard Finish(string workDir, IReadOnlyList<CandidateResult> results, string packagePath, CancellationToken ct = default) =>
        ForecastFinisher.Finish(workDir, results, packagePath, ct);

    /// <summary>Every step after Prepare reads the profile and the series; Prepare writes nothing else.</summary>
    public static StepFiles PrepareFiles { get; } = new([], [new(ForecastWorkDir.ProfileFile), new(ForecastWorkDir.SeriesFile)]);

    /// <summary>RunCandidate on one fold reads what Prepare wrote and writes that fold's forecasts.</summary>
    public static StepFiles CandidateFiles(ForecastCandidate candidate, int fold) =>
        new(PrepareFiles.Writes, [new(ForecastWorkDir.FoldFile(candidate.Id, fold))]);

    /// <summary>Finish reads what Prepare wrote and every fold's forecasts of the candidates it may blend; the package goes elsewhere.</summary>
    public static StepFiles FinishFiles(ForecastProfile profile, IReadOnlyList<CandidateResult> results) =>
        new([.. PrepareFiles.Writes, .. ForecastFinisher.Pool(profile, results)
            .SelectMany(r => Enumerable.Range(0, profile.Folds).Select(k => new WorkFile(ForecastWorkDir.FoldFile(r.CandidateId, k))))], []);

    internal static ForecastContext Context(ForecastProfile profile, SeriesSet set) =>
        new(set.Calendar, profile.Horizon, [.. set.Series.Select(s => s.Id)], profile.KnownColumns, profile.PastColumns, profile.Seed);
}
