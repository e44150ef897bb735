namespace Serverless.AutoMl.Data;

/// <summary>Deterministic stratified fold numbers: by class, or by label quantile for regression.</summary>
internal static class FoldAssignment
{
    public static int[] Stratified(double[] labels, int folds, int seed)
    {
        var random = new Random(seed);
        // Rows ordered by label (ties in random order), then dealt round-robin: every fold sees every class
        // in proportion, and for regression every label range. OrderBy is stable, so the shuffle breaks ties.
        var ordered = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).ToArray()
            .OrderBy(r => labels[r]).ToArray();
        var assignment = new int[labels.Length];
        for (var i = 0; i < ordered.Length; i++) assignment[ordered[i]] = i % folds;
        return assignment;
    }
}
