using System.Diagnostics;
using Microsoft.ML;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl.Training;

/// <summary>Evaluates one configuration on every fold (on its training sample) and stores its out-of-fold predictions.</summary>
internal static class TrialRunner
{
    /// <summary>Evaluates on every fold, or on the first foldsAtMost of them (the rest of the rows get no prediction).</summary>
    public static TrialResult Run(string workDir, TrialConfig config, CancellationToken ct, int? foldsAtMost = null)
    {
        var clock = Stopwatch.StartNew();
        var profile = WorkDir.ReadProfile(workDir);
        var timeoutSeconds = config.TimeoutSeconds ?? profile.TrialTimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        TrialResult Result(TrialStatus status, double? score = null, IReadOnlyDictionary<string, double>? metrics = null,
            string? error = null, int? iterations = null, double? fitSeconds = null) => new()
        {
            TrialId = config.Id, Learner = config.Learner, Params = config.Params, Status = status, Score = score,
            Metrics = metrics ?? new Dictionary<string, double>(), Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3), Error = error,
            Iterations = iterations, FitSeconds = fitSeconds is { } f ? Math.Round(f, 3) : null,
        };
        try
        {
            var context = new MLContext(profile.Seed);
            using var registration = Cancellation.Link(context, timeout.Token);
            var learner = LearnerCatalog.Get(config.Learner);
            if (!MemoryEstimate.Fits(learner, profile, config.Params))
                return Result(TrialStatus.Skipped, error:
                    $"estimated {MemoryEstimate.Bytes(learner, profile, config.Params) / 1e6:F0} MB exceeds this trial's share of memory ({MemoryEstimate.Share(profile) / 1e6:F0} MB)");
            var width = profile.PredictionWidth();
            var sampleRows = DataChoices.SampleRowsOf(profile, config.Params);
            var target = DataChoices.TargetOf(config.Params);
            var table = new Lazy<PreparedTable>(() => PreparedTable.Read(WorkDir.DataPath(workDir)));
            var oof = new double[profile.EvaluatedRows() * width];
            Array.Fill(oof, double.NaN);
            var iterations = new List<int>();
            var fitting = new Stopwatch();
            // Concurrent trials start on different folds, so the first ones build a new sample's fold cache in parallel.
            var folds = profile.Folds;
            foreach (var fold in Enumerable.Range(0, folds).Select(f => (f + config.Id) % folds).Take(foldsAtMost ?? folds))
            {
                timeout.Token.ThrowIfCancellationRequested();
                var (train, valid) = FoldCache.Get(workDir, context, profile, fold, sampleRows, () => table.Value);
                fitting.Start();
                var fitted = ModelFitter.FitPredictor(context, profile, learner, config.Params, train, valid, iterations: null);
                fitting.Stop();
                if (fitted.Iterations is { } n) iterations.Add(n);
                foreach (var (row, values) in Predictions.Read(fitted.Predictor.Transform(valid), profile.Task, width, target))
                    values.CopyTo(oof, row * width);
            }
            var metrics = MetricCatalog.Compute(profile.Task, width, WorkDir.ReadValues(WorkDir.LabelsPath(workDir)), oof);
            WorkDir.WriteValues(WorkDir.OofPath(workDir, config.Id), oof);
            return Result(TrialStatus.Succeeded, metrics[profile.Metric], metrics,
                iterations: iterations.Count > 0 ? (int)Math.Round(iterations.Average()) : null, fitSeconds: fitting.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException && timeout.IsCancellationRequested)
        {
            // However the learner surfaced the cancellation (ML.NET may wrap it in an AggregateException), it was ours.
            return Result(ct.IsCancellationRequested ? TrialStatus.Failed : TrialStatus.TimedOut,
                error: ct.IsCancellationRequested ? "cancelled" : $"exceeded the trial timeout of {timeoutSeconds:0.#} s");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result(TrialStatus.Failed, error: $"{e.GetType().Name}: {e.Message}");
        }
    }
}
