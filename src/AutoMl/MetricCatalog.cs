namespace Serverless.AutoMl;

/// <summary>
/// The metrics of each task, their direction, and their computation from predictions. Predictions are laid out
/// row-major with Width values per row: P(positive) for binary, class probabilities for multiclass, the value for
/// regression. Rows whose first prediction is NaN were not predicted (holdout) and are skipped.
/// </summary>
public static class MetricCatalog
{
    private const double Epsilon = 1e-15;

    public static IReadOnlyList<string> For(MlTask task) => task switch
    {
        MlTask.Binary => ["auc", "accuracy", "f1", "logloss"],
        MlTask.Multiclass => ["microAccuracy", "macroAccuracy", "logloss"],
        _ => ["rmse", "mae", "r2"],
    };

    public static string Default(MlTask task) => For(task)[0];

    public static bool HigherIsBetter(string metric) => metric is not ("logloss" or "rmse" or "mae");

    /// <summary>The canonical name of a requested metric, or an InvalidDatasetException listing the valid ones.</summary>
    public static string Resolve(MlTask task, string? requested)
    {
        if (requested is null) return Default(task);
        var alias = requested.Trim().ToLowerInvariant() switch
        {
            "accuracy" when task == MlTask.Multiclass => "microAccuracy",
            "roc_auc" or "areaunderroccurve" => "auc",
            "log_loss" => "logloss",
            var other => other,
        };
        return For(task).FirstOrDefault(m => string.Equals(m, alias, StringComparison.OrdinalIgnoreCase))
               ?? throw new InvalidDatasetException(
                   $"The metric '{requested}' does not apply to {task} tasks; use one of: {string.Join(", ", For(task))}.");
    }

    /// <summary>
    /// A score as a loss (lower is better, 0 is perfect): 1 - score for scores bounded by 1, the score itself otherwise.
    /// </summary>
    public static double Loss(string metric, double score) => HigherIsBetter(metric) ? 1 - score : score;

    /// <summary>Orients a score so that larger is always better.</summary>
    public static double Gain(string metric, double score) => HigherIsBetter(metric) ? score : -score;

    /// <summary>
    /// Orders results by the metric's gain, with log loss (when the task has it) breaking ties: accuracy moves in
    /// steps of one row, and among equally accurate models the better calibrated one generalizes better.
    /// </summary>
    public static double Rank(string metric, IReadOnlyDictionary<string, double> metrics) =>
        Gain(metric, metrics[metric]) - (metric != "logloss" && metrics.TryGetValue("logloss", out var logloss) ? 1e-6 * logloss : 0);

    public static IReadOnlyDictionary<string, double> Compute(MlTask task, int width, IReadOnlyList<double> labels, IReadOnlyList<double> predictions)
    {
        var rows = new List<int>(labels.Count);
        for (var r = 0; r < labels.Count; r++)
            if (!double.IsNaN(predictions[r * width])) rows.Add(r);
        return task switch
        {
            MlTask.Binary => Binary([.. rows], labels, predictions),
            MlTask.Multiclass => Multiclass([.. rows], width, labels, predictions),
            _ => Regression([.. rows], labels, predictions),
        };
    }

    private static Dictionary<string, double> Binary(int[] rows, IReadOnlyList<double> labels, IReadOnlyList<double> p)
    {
        int tp = 0, fp = 0, fn = 0, correct = 0;
        var logloss = 0.0;
        foreach (var r in rows)
        {
            var positive = labels[r] == 1;
            var predicted = p[r] >= 0.5;
            if (predicted == positive) correct++;
            if (predicted && positive) tp++;
            else if (predicted) fp++;
            else if (positive) fn++;
            logloss -= Math.Log(Math.Clamp(positive ? p[r] : 1 - p[r], Epsilon, 1));
        }
        return new()
        {
            ["auc"] = Auc(rows, labels, p),
            ["accuracy"] = (double)correct / rows.Length,
            ["f1"] = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn),
            ["logloss"] = logloss / rows.Length,
        };
    }

    /// <summary>Rank-based AUC (Mann-Whitney) with ties sharing their average rank.</summary>
    private static double Auc(int[] rows, IReadOnlyList<double> labels, IReadOnlyList<double> p)
    {
        var scores = rows.Select(r => p[r]).ToArray();
        var sorted = (int[])rows.Clone();
        Array.Sort(scores, sorted);
        double positives = 0, rankSum = 0;
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j < sorted.Length && scores[j] == scores[i]) j++;
            var averageRank = (i + j + 1) / 2.0;
            for (var k = i; k < j; k++)
                if (labels[sorted[k]] == 1) { positives++; rankSum += averageRank; }
            i = j;
        }
        var negatives = sorted.Length - positives;
        return positives == 0 || negatives == 0 ? 0.5 : (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    private static Dictionary<string, double> Multiclass(int[] rows, int width, IReadOnlyList<double> labels, IReadOnlyList<double> p)
    {
        var seen = new int[width];
        var hits = new int[width];
        var logloss = 0.0;
        foreach (var r in rows)
        {
            var label = (int)labels[r];
            var best = 0;
            for (var c = 1; c < width; c++) if (p[r * width + c] > p[r * width + best]) best = c;
            seen[label]++;
            if (best == label) hits[label]++;
            logloss -= Math.Log(Math.Clamp(p[r * width + label], Epsilon, 1));
        }
        return new()
        {
            ["microAccuracy"] = (double)hits.Sum() / rows.Length,
            ["macroAccuracy"] = Enumerable.Range(0, width).Where(c => seen[c] > 0).Average(c => (double)hits[c] / seen[c]),
            ["logloss"] = logloss / rows.Length,
        };
    }

    private static Dictionary<string, double> Regression(int[] rows, IReadOnlyList<double> labels, IReadOnlyList<double> p)
    {
        if (rows.Length == 0) return new() { ["rmse"] = double.NaN, ["mae"] = double.NaN, ["r2"] = double.NaN };
        var mean = rows.Average(r => labels[r]);
        var squared = rows.Sum(r => (labels[r] - p[r]) * (labels[r] - p[r]));
        var total = rows.Sum(r => (labels[r] - mean) * (labels[r] - mean));
        return new()
        {
            ["rmse"] = Math.Sqrt(squared / rows.Length),
            ["mae"] = rows.Average(r => Math.Abs(labels[r] - p[r])),
            ["r2"] = total == 0 ? 0 : 1 - squared / total,
        };
    }
}
