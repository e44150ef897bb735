using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Numbers that summarise a high-cardinality category for the learners, computed from the training rows only: how
/// common each level is, and its smoothed target (the positive rate, the mean label, or each frequent class's rate),
/// as an offset from the overall value so that a level never seen in training maps to 0, like the prior. One-hot or
/// hashed codes of a thousand levels give trees little to split on per level; these give them an ordered number.
/// </summary>
internal static class CategoryStatistics
{
    /// <summary>Rows of prior weight a level's own rate is blended with: rare levels stay near the overall rate.</summary>
    private const double Smoothing = 20;
    /// <summary>Multiclass: class rates for at most this many of the most frequent classes.</summary>
    private const int MaxClassRates = 8;

    /// <summary>Per encoded column: its name suffix and the value of each level (the empty string is the missing level).</summary>
    public static IEnumerable<(string Suffix, Dictionary<string, float> Values)> For(DatasetProfile profile, PreparedTable table, int feature, int[] trainRows)
    {
        var coded = (CodedValues)table.Features[feature];
        var levels = coded.Levels.Length + 1;
        int Level(int row) => coded.Codes[row] < 0 ? coded.Levels.Length : coded.Codes[row];
        string Name(int level) => level == coded.Levels.Length ? "" : coded.Levels[level];
        var counts = new double[levels];
        foreach (var r in trainRows) counts[Level(r)]++;
        yield return ("freq", Enumerable.Range(0, levels).ToDictionary(Name, l => (float)(counts[l] / trainRows.Length)));

        var targets = profile.Task == MlTask.Multiclass
            ? trainRows.GroupBy(r => table.Labels[r]).OrderByDescending(g => g.Count()).Take(MaxClassRates)
                .Select(g => ($"rate{(int)g.Key}", (Func<int, double>)(r => table.Labels[r] == g.Key ? 1 : 0)))
            : [("target", profile.SkewedTarget ? r => Math.Log(1 + Math.Max(0, table.Labels[r])) : r => (double)table.Labels[r])];
        foreach (var (suffix, target) in targets)
        {
            var sums = new double[levels];
            foreach (var r in trainRows) sums[Level(r)] += target(r);
            var prior = sums.Sum() / Math.Max(1, trainRows.Length);
            yield return (suffix, Enumerable.Range(0, levels).ToDictionary(Name,
                l => (float)((sums[l] + Smoothing * prior) / (counts[l] + Smoothing) - prior)));
        }
    }
}
