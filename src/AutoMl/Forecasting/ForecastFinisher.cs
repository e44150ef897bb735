namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// Turns backtested candidates into a forecaster: a greedy blend (Caruana's ensemble selection, with replacement)
/// over the best candidates' stored backtest forecasts, kept only where it lowers the backtest MASE, and only where it
/// beats the best simpler forecast clearly (<see cref="Parsimony"/>); intervals calibrated on the final forecast's residuals
/// with coverage measured fold by fold; members refitted on all the data.
/// </summary>
internal static class ForecastFinisher
{
    /// <summary>Candidates the blend may draw from (the best by MASE).</summary>
    private const int BlendPool = 8;
    private const int BlendRounds = 10;
    private const int LeaderboardSize = 10;
    /// <summary>A card's recent history: this many seasons or horizons of a series, whichever is longer, at most MaxSummaryPoints.</summary>
    private const int RecentSpans = 3;
    /// <summary>Points of history, and steps of forecast, a card keeps per series: a long horizon would swell every card.</summary>
    private const int MaxSummaryPoints = 96;

    public static ForecastCard Finish(string workDir, IReadOnlyList<CandidateResult> results, string packagePath, CancellationToken ct)
    {
        var profile = ForecastWorkDir.ReadProfile(workDir);
        var set = ForecastWorkDir.ReadSeries(workDir);
        var context = ForecastEngine.Context(profile, set);
        var complete = Completed(profile, results);
        if (complete.Count == 0)
            throw new InvalidOperationException("No candidate completed its backtest, so there is nothing to deploy; give the search more time.");
        var pool = Pool(profile, results)
            .Select(r => (Result: r, Folds: Enumerable.Range(0, profile.Folds).Select(k => ForecastWorkDir.ReadFold(workDir, r.CandidateId, k)).ToList()))
            .ToList();
        var folds = pool.Select(p => p.Folds).ToList();
        var (counts, backtest, parsimonyNote) = PreferSimpler(pool, Blend(folds));
        var intervals = PredictionIntervals.Calibrate(backtest, profile.Horizon);
        var coverage = PredictionIntervals.MeasureCoverage(backtest, profile.Horizon);

        var total = (double)counts.Sum();
        var members = pool.Select((p, i) => (p.Result, Weight: counts[i] / total)).Where(m => m.Weight > 0).ToList();
        var fitted = members.Select(m =>
        {
            ct.ThrowIfCancellationRequested();
            return (m.Result, m.Weight, Model: ForecastModels.Fit(m.Result.Method, set.Series, context, ct));
        }).ToList();
        var tail = members.Select(m => m.Result.Method is TreeRegressionMethod trees ? new SeriesFeatures(trees, context).Lookback : 1)
            .Append(context.Period).Max();
        var manifest = new ForecastManifest(set.Frequency, set.Anchor, profile.Horizon, profile.KnownColumns, profile.PastColumns, profile.Seed,
            intervals, [.. set.Series.Select(s => Backtest.LocalScale(s.Values, context.Period, profile.Horizon))],
            [.. fitted.Select(f => new PackagedMember(f.Result.CandidateId, f.Weight, f.Model.State))],
            [.. set.Series.Select(s => s.Tail(tail))]);
        var naive = results.FirstOrDefault(r => r.Mase is not null && r.Method == new SeasonalNaiveMethod(profile.SeasonalPeriod));
        var card = new ForecastCard
        {
            Target = profile.Target, TimeColumn = profile.TimeColumn, SeriesColumn = profile.SeriesColumn,
            Input = new ForecastInputSchema
            {
                Horizon = profile.Horizon, Frequency = profile.Frequency,
                Series = [.. set.Series.Select(s => new SeriesInput(s.Id, set.Calendar.Time(s.StartIndex + s.Length - 1)))],
                KnownColumns = [.. profile.KnownColumns.Select(k => new KnownInput(k, set.Series.Min(s => s.Covariates[k].Min()), set.Series.Max(s => s.Covariates[k].Max())))],
            },
            SeasonalPeriod = profile.SeasonalPeriod,
            Members = [.. members.Select(m => new ForecastMember(m.Result.CandidateId, m.Result.Method, Math.Round(m.Weight, 4)))],
            Description = members.Count == 1
                ? members[0].Result.Method.Describe()
                : "blend: " + string.Join(" + ", members.Select(m => $"{m.Weight:0.##} × {m.Result.Method.Describe()}")),
            Folds = profile.Folds,
            Backtest = Backtest.Totals(backtest.SelectMany(f => f.Series)).Metrics(),
            SeasonalNaiveBacktest = naive?.Totals.Metrics(),
            Coverage = coverage,
            Leaderboard = [.. complete.Take(LeaderboardSize).Select(r => new LeaderboardEntry(r.CandidateId, r.Method.Describe(), r.Mase!.Value, r.Seconds))],
            Candidates = results.Count, Rows = profile.Rows, Notes = [.. profile.Notes, .. parsimonyNote is null ? [] : new[] { parsimonyNote }], CreatedAt = DateTimeOffset.UtcNow,
        };
        var models = fitted.Where(f => f.Model.ModelBytes is not null).ToDictionary(f => f.Result.CandidateId, f => f.Model.ModelBytes!);
        card = card with { SeriesSummaries = Summaries(profile, set, Forecaster.From(new ForecastPackage(card, manifest, models))) };
        new ForecastPackage(card, manifest, models).Write(packagePath);
        return card;
    }

    /// <summary>The first series' repairs, recent history and the forecast the deployed forecaster gives after it.</summary>
    private static List<SeriesSummary> Summaries(ForecastProfile profile, SeriesSet set, Forecaster forecaster)
    {
        var recent = Math.Min(MaxSummaryPoints, RecentSpans * Math.Max(profile.SeasonalPeriod, profile.Horizon));
        return [.. set.Series.Zip(profile.Series).Take(ForecastCard.MaxSummarizedSeries).Select(pair =>
        {
            var tail = pair.First.Tail(recent);
            return new SeriesSummary
            {
                Profile = pair.Second,
                Recent = [.. tail.Values.Select((value, i) => new SeriesPoint(set.Calendar.Time(tail.StartIndex + i), value))],
                Forecast = forecaster.Forecast(Math.Min(profile.Horizon, MaxSummaryPoints), pair.First.Id).Points,
            };
        })];
    }

    /// <summary>
    /// The candidates Finish reads: the best that completed every fold, which the blend may draw from, and the best of
    /// each simpler complexity (appended when not among them), which the blend must beat clearly.
    /// </summary>
    public static IEnumerable<CandidateResult> Pool(ForecastProfile profile, IReadOnlyList<CandidateResult> results)
    {
        var complete = Completed(profile, results);
        var pool = complete.Take(BlendPool).ToList();
        pool.AddRange(complete.Where(r => Parsimony.Complexity(r.Method) < Parsimony.Complex)
            .GroupBy(r => Parsimony.Complexity(r.Method)).Select(g => g.First()).Where(r => !pool.Contains(r)));
        return pool;
    }

    /// <summary>
    /// The one-standard-error rule (<see cref="Parsimony"/>): going from the simplest complexity up to the blend's,
    /// the first best-so-far candidate the blend does not beat by more than a standard error over the folds, alone,
    /// with a note saying why; else the blend. Either way with the chosen forecast's backtest folds.
    /// </summary>
    private static (int[] Counts, List<FoldForecast> Backtest, string? Note) PreferSimpler(IReadOnlyList<(CandidateResult Result, List<FoldForecast> Folds)> pool, int[] blend)
    {
        var folds = pool.Select(p => p.Folds).ToList();
        var blended = Blended(folds, blend);
        var complexity = pool.Where((_, i) => blend[i] > 0).Max(p => Parsimony.Complexity(p.Result.Method));
        var simpler = pool.Select((p, i) => (p.Result, Index: i, Complexity: Parsimony.Complexity(p.Result.Method)))
            .Where(p => p.Complexity < complexity).OrderBy(p => p.Complexity).ThenBy(p => p.Result.Mase).ToList();
        var bestSoFar = double.PositiveInfinity;
        foreach (var candidate in simpler)
        {
            if (candidate.Result.Mase >= bestSoFar) continue;
            bestSoFar = candidate.Result.Mase!.Value;
            var comparison = Parsimony.Compare(blended, pool[candidate.Index].Folds);
            if (comparison.Clear) continue;
            var counts = new int[pool.Count];
            counts[candidate.Index] = 1;
            return (counts, pool[candidate.Index].Folds, $"Kept the simpler {candidate.Result.Method.Describe()} (backtest MASE {candidate.Result.Mase:0.###}): the best forecast " +
                            $"gained {comparison.Gain:0.###} MASE on it per fold, not more than one standard error ({comparison.StandardError:0.###}) " +
                            $"over {comparison.Folds} folds.");
        }
        return (blend, blended, null);
    }

    /// <summary>Candidates that backtested on every fold, best MASE first.</summary>
    private static List<CandidateResult> Completed(ForecastProfile profile, IReadOnlyList<CandidateResult> results) =>
        [.. results.Where(r => r.Mase is not null && r.Folds.Count == profile.Folds).OrderBy(r => r.Mase).ThenBy(r => r.CandidateId)];

    /// <summary>
    /// How many times each pool member is picked: the best first, then whichever addition lowers the blend's backtest
    /// MASE most, until none does.
    /// </summary>
    private static int[] Blend(IReadOnlyList<List<FoldForecast>> pool)
    {
        var counts = new int[pool.Count];
        counts[0] = 1;
        var current = Mase(pool, counts);
        for (var round = 0; round < BlendRounds; round++)
        {
            var (bestIndex, bestMase) = (-1, current);
            for (var i = 0; i < pool.Count; i++)
            {
                counts[i]++;
                var mase = Mase(pool, counts);
                counts[i]--;
                if (mase < bestMase - 1e-9) (bestIndex, bestMase) = (i, mase);
            }
            if (bestIndex < 0) break;
            counts[bestIndex]++;
            current = bestMase;
        }
        return counts;
    }

    private static double Mase(IReadOnlyList<List<FoldForecast>> pool, int[] counts) =>
        Backtest.Totals(Blended(pool, counts).SelectMany(f => f.Series)).Metrics().Mase;

    /// <summary>The folds with each prediction replaced by the count-weighted mean of the pool's predictions.</summary>
    private static List<FoldForecast> Blended(IReadOnlyList<List<FoldForecast>> pool, int[] counts)
    {
        var total = (double)counts.Sum();
        return pool[0].Select((fold, k) => fold with
        {
            Series = [.. fold.Series.Select((series, s) => series with
            {
                Predicted = [.. series.Predicted.Select((_, h) =>
                    Enumerable.Range(0, pool.Count).Where(i => counts[i] > 0).Sum(i => counts[i] * pool[i][k].Series[s].Predicted[h]) / total)],
            })],
        }).ToList();
    }
}
