namespace Serverless.AutoMl.Data;

/// <summary>
/// How trials are evaluated and on how many rows they train. k-fold cross-validation while the budget affords
/// AffordedTrials reference trials with it (5 folds, else 3), a stratified holdout otherwise; and training sample sizes
/// growing by SampleGrowth from one whose reference fits cost InitialShare of the budget, up to all training rows.
/// </summary>
internal sealed record EvaluationPlan(int Folds, int EvaluationRows, IReadOnlyList<int> SampleSizes, IReadOnlyList<string> Notes)
{
    /// <summary>Reference trials the search should afford in its share of the budget (over all slots).</summary>
    private const int AffordedTrials = 20;
    private const double SearchShare = 0.6;
    /// <summary>Budget share the first sample's reference fits (all folds) may cost.</summary>
    private const double InitialShare = 0.02;
    public const int SampleGrowth = 4;
    /// <summary>Samples below this many rows say little about the full data (FLAML's floor too).</summary>
    private const int MinSampleRows = 10_000;
    private const double HoldoutShare = 0.2;
    private const int MinHoldoutRows = 1000;

    public static EvaluationPlan For(int rows, double nonZerosPerRow, int treesPerRound, int budget, int parallel, AutoMlOptions options)
    {
        var notes = new List<string>();
        var searchSeconds = SearchShare * budget * parallel;
        double FoldsCost(int folds, int trainRows) => folds * CostModel.ReferenceFitSeconds(trainRows, nonZerosPerRow, treesPerRound);
        foreach (var folds in new[] { options.Folds, 3 }.Where(k => k >= 2 && rows <= options.HoldoutAboveRows))
        {
            var train = rows - (rows + folds - 1) / folds;
            // A holdout of a few hundred rows scores too noisily to steer by: small data is cross-validated anyway.
            if (FoldsCost(folds, train) * AffordedTrials <= searchSeconds || (folds == 3 && rows < MinHoldoutRows))
                return new EvaluationPlan(folds, rows, Samples(train, folds, FoldsCost, budget), notes);
        }
        var validation = (int)Math.Clamp(Math.Round(HoldoutShare * rows), 1, Math.Min(options.HoldoutMaxRows, rows - 1));
        var holdout = $"Trials are scored on a stratified holdout of {validation:N0} rows";
        notes.Add(options.HoldoutAboveRows == 0 ? $"{holdout}."
            : rows > options.HoldoutAboveRows ? $"{holdout} (the data has more than {options.HoldoutAboveRows:N0} rows)."
            : $"{holdout}: cross-validation would leave the {budget} s budget too few trials.");
        var sizes = Samples(rows - validation, 1, FoldsCost, budget);
        if (sizes.Count > 1)
            notes.Add($"The search starts on {sizes[0]:N0} training rows and grows the sample (×{SampleGrowth}) when it pays, up to {sizes[^1]:N0}.");
        return new EvaluationPlan(1, validation, sizes, notes);
    }

    private static List<int> Samples(int trainRows, int folds, Func<int, int, double> foldsCost, int budget)
    {
        var rows = MinSampleRows;
        while (rows < trainRows && foldsCost(folds, rows * 2) <= InitialShare * budget) rows *= 2;
        var sizes = new List<int>();
        for (; rows * 1.5 < trainRows; rows *= SampleGrowth) sizes.Add(rows);
        sizes.Add(trainRows);
        return sizes;
    }
}
