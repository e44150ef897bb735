namespace Serverless.AutoMl.Data;

/// <summary>
/// A row order in which every prefix is a stratified sample: the rows of each stratum (a class, or a label decile for
/// regression) are shuffled and spread evenly over the whole order. Sampling n rows is then taking the first n, and
/// dealing folds round-robin along the order stratifies them too.
/// </summary>
internal static class StratifiedOrder
{
    private const int RegressionStrata = 10;

    public static int[] Of(float[] labels, MlTask task, int seed)
    {
        var strata = task == MlTask.Regression ? Deciles(labels) : labels.Select(l => (int)l).ToArray();
        var random = new Random(seed);
        var keys = new double[labels.Length];
        foreach (var stratum in Enumerable.Range(0, labels.Length).GroupBy(r => strata[r]).OrderBy(g => g.Key))
        {
            var rows = stratum.ToArray();
            random.Shuffle(rows);
            for (var j = 0; j < rows.Length; j++) keys[rows[j]] = (j + random.NextDouble()) / rows.Length;
        }
        var order = Enumerable.Range(0, labels.Length).ToArray();
        Array.Sort(keys, order);
        return order;
    }

    private static int[] Deciles(float[] labels)
    {
        var ranked = Enumerable.Range(0, labels.Length).OrderBy(r => labels[r]).ToArray();
        var strata = new int[labels.Length];
        for (var i = 0; i < ranked.Length; i++) strata[ranked[i]] = (int)((long)i * RegressionStrata / ranked.Length);
        return strata;
    }
}
