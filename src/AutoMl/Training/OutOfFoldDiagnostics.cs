using System.Globalization;

namespace Serverless.AutoMl.Training;

/// <summary>
/// The model card's diagnostics, from the out-of-fold predictions of the members the finisher chose, blended with
/// their weights (as the ensemble's metrics were computed): honest numbers on rows no member was trained on.
/// </summary>
internal static class OutOfFoldDiagnostics
{
    /// <summary>Above this many classes the matrix is left out: it would be unreadable and large.</summary>
    public const int MaxMatrixClasses = 30;
    public const int MaxRocPoints = 101;
    public const int MaxRegressionPoints = 300;
    private const int SignificantDigits = 6;

    /// <summary>The members' out-of-fold predictions weighted as the model weighs them.</summary>
    public static double[] Blend(IReadOnlyList<(Candidate Member, double Weight)> members)
    {
        var blended = new double[members[0].Member.Predictions.Length];
        foreach (var (member, weight) in members)
            for (var i = 0; i < blended.Length; i++) blended[i] += weight * member.Predictions[i];
        return blended;
    }

    public static ModelDiagnostics Compute(MlTask task, double[] labels, int width,
        IReadOnlyList<(Candidate Member, double Weight)> members)
    {
        var blended = Blend(members);
        var rows = Enumerable.Range(0, labels.Length).Where(r => !double.IsNaN(blended[r * width])).ToArray();
        return task switch
        {
            MlTask.Binary => new ModelDiagnostics
            {
                Rows = rows.Length,
                ConfusionMatrix = Confusion(2, rows, r => (int)labels[r], r => blended[r] >= 0.5 ? 1 : 0),
                Roc = Roc(rows, labels, blended),
            },
            MlTask.Multiclass => new ModelDiagnostics
            {
                Rows = rows.Length,
                ConfusionMatrix = width > MaxMatrixClasses ? null
                    : Confusion(width, rows, r => (int)labels[r], r => ArgMax(blended.AsSpan(r * width, width))),
            },
            _ => new ModelDiagnostics
            {
                Rows = rows.Length,
                PredictedVsActual = Spread(rows, MaxRegressionPoints).Select(r => Point(labels[r], blended[r])).ToList(),
            },
        };
    }

    private static int[][] Confusion(int classes, int[] rows, Func<int, int> actual, Func<int, int> predicted)
    {
        var counts = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        foreach (var r in rows) counts[actual(r)][predicted(r)]++;
        return counts;
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>One point per distinct score, highest threshold first (tied scores move together), thinned evenly.</summary>
    private static List<PlotPoint> Roc(int[] rows, double[] labels, double[] p)
    {
        var positives = rows.Count(r => labels[r] == 1);
        var negatives = rows.Length - positives;
        var sorted = rows.OrderByDescending(r => p[r]).ToArray();
        var curve = new List<PlotPoint> { new(0, 0) };
        var (tp, fp) = (0, 0);
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            for (; j < sorted.Length && p[sorted[j]] == p[sorted[i]]; j++)
                if (labels[sorted[j]] == 1) tp++; else fp++;
            curve.Add(Point(negatives == 0 ? 0 : (double)fp / negatives, positives == 0 ? 0 : (double)tp / positives));
            i = j;
        }
        return Spread(Enumerable.Range(0, curve.Count).ToArray(), MaxRocPoints).Select(i => curve[i]).ToList();
    }

    /// <summary>At most <paramref name="count"/> items evenly spaced over <paramref name="items"/>, first and last included.</summary>
    private static IEnumerable<int> Spread(int[] items, int count) =>
        items.Length <= count
            ? items
            : Enumerable.Range(0, count).Select(k => items[(int)Math.Round(k * (items.Length - 1.0) / (count - 1))]);

    private static PlotPoint Point(double x, double y) => new(Significant(x), Significant(y));

    /// <summary>Six significant digits: plenty for a chart, and a third of the bytes of a full double.</summary>
    private static double Significant(double value) =>
        double.Parse(value.ToString("G" + SignificantDigits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
