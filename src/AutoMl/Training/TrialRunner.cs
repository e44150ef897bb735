using System.Diagnostics;
using Microsoft.ML;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>What a trial leaves for Finish besides its out-of-fold predictions: the tree count early stopping chose.</summary>
internal sealed record TrialInfo(int? Iterations);

/// <summary>Cross-validates one configuration and stores its out-of-fold predictions.</summary>
internal static class TrialRunner
{
    public static TrialResult Run(string workDir, TrialConfig config, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var profile = WorkDir.ReadProfile(workDir);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(profile.TrialTimeoutSeconds));
        TrialResult Result(TrialStatus status, double? score = null, IReadOnlyDictionary<string, double>? metrics = null, string? error = null) => new()
        {
            TrialId = config.Id, Learner = config.Learner, Params = config.Params, Status = status, Score = score,
            Metrics = metrics ?? new Dictionary<string, double>(), Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3), Error = error,
        };
        try
        {
            var context = new MLContext(profile.Seed);
            using var registration = Cancellation.Link(context, timeout.Token);
            var learner = LearnerCatalog.Get(config.Learner);
            if (!MemoryEstimate.Fits(learner, profile, config.Params))
                return Result(TrialStatus.Skipped, error:
                    $"estimated {MemoryEstimate.Bytes(learner, profile, config.Params) / 1e6:F0} MB exceeds this trial's share of memory ({MemoryEstimate.Share(profile) / 1e6:F0} MB)");
            var width = PreparedData.WidthOf(profile);
            var data = new Lazy<PreparedData>(() => PreparedData.Load(workDir, context));
            var oof = Enumerable.Repeat(double.NaN, profile.Rows * width).ToArray();
            var iterations = new List<int>();
            // Concurrent trials start on different folds, so the first ones build the shared fold cache in parallel.
            var folds = profile.Folds;
            foreach (var fold in Enumerable.Range(0, folds).Select(f => (f + config.Id) % folds))
            {
                timeout.Token.ThrowIfCancellationRequested();
                var (train, valid) = FoldCache.Get(workDir, context, fold, () => data.Value);
                var fitted = ModelFitter.FitPredictor(context, profile, learner, config.Params, train, valid, iterations: null);
                if (fitted.Iterations is { } n) iterations.Add(n);
                foreach (var (row, values) in ModelFitter.Read(fitted.Predictor.Transform(valid), profile.Task, width))
                    values.CopyTo(oof, row * width);
            }
            var metrics = MetricCatalog.Compute(profile.Task, width, WorkDir.ReadDoubles(WorkDir.LabelsPath(workDir)), oof);
            WorkDir.WriteDoubles(WorkDir.OofPath(workDir, config.Id), oof);
            var meanIterations = iterations.Count > 0 ? (int?)Math.Round(iterations.Average()) : null;
            WorkDir.WriteJson(WorkDir.TrialInfoPath(workDir, config.Id), new TrialInfo(meanIterations));
            return Result(TrialStatus.Succeeded, metrics[profile.Metric], metrics);
        }
        catch (Exception e) when (e is not OutOfMemoryException && timeout.IsCancellationRequested)
        {
            // However the learner surfaced the cancellation (ML.NET may wrap it in an AggregateException), it was ours.
            return Result(ct.IsCancellationRequested ? TrialStatus.Failed : TrialStatus.TimedOut,
                error: ct.IsCancellationRequested ? "cancelled" : $"exceeded the trial timeout of {profile.TrialTimeoutSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result(TrialStatus.Failed, error: $"{e.GetType().Name}: {e.Message}");
        }
    }
}
