using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

/// <summary>How evaluation, sample sizes and memory are planned from a dataset's shape, before any trial runs.</summary>
public sealed class PlanningTests
{
    private static readonly AutoMlOptions Options = new();

    [Fact]
    public void Small_data_is_cross_validated_even_when_wide()
    {
        var plan = EvaluationPlan.For(rows: 200, nonZerosPerRow: 5000, treesPerRound: 1, budget: 20, parallel: 2, Options);
        Assert.True(plan.Folds >= 3);
        Assert.Equal(200, plan.EvaluationRows);
        Assert.Single(plan.SampleSizes);
    }

    [Fact]
    public void Large_data_gets_a_capped_holdout_and_starts_on_a_sample()
    {
        var plan = EvaluationPlan.For(rows: 1_000_000, nonZerosPerRow: 60, treesPerRound: 1, budget: 120, parallel: 2, Options);
        Assert.Equal(1, plan.Folds);
        Assert.Equal(Options.HoldoutMaxRows, plan.EvaluationRows);
        Assert.Equal(1_000_000 - Options.HoldoutMaxRows, plan.SampleSizes[^1]);
        Assert.True(plan.SampleSizes[0] <= 50_000, $"first sample {plan.SampleSizes[0]}");
        Assert.Equal(plan.SampleSizes.Order(), plan.SampleSizes);
        Assert.Contains(plan.Notes, n => n.Contains("holdout"));
        Assert.Contains(plan.Notes, n => n.Contains("starts on"));
    }

    [Fact]
    public void A_holdout_forced_by_the_options_is_reported_without_a_row_threshold()
    {
        var plan = EvaluationPlan.For(rows: 134, nonZerosPerRow: 4, treesPerRound: 1, budget: 60, parallel: 2, new AutoMlOptions { HoldoutAboveRows = 0 });
        Assert.Equal(1, plan.Folds);
        Assert.Equal("Trials are scored on a stratified holdout of 27 rows.", Assert.Single(plan.Notes));
    }

    [Fact]
    public void Many_classes_switch_to_a_holdout_when_cross_validation_would_not_fit_the_budget()
    {
        var tight = EvaluationPlan.For(rows: 16_000, nonZerosPerRow: 16, treesPerRound: 26, budget: 60, parallel: 2, Options);
        var roomy = EvaluationPlan.For(rows: 16_000, nonZerosPerRow: 16, treesPerRound: 26, budget: 600, parallel: 2, Options);
        Assert.Equal(1, tight.Folds);
        Assert.True(roomy.Folds > 1);
    }

    [Fact]
    public void One_hot_codes_and_ngrams_count_as_sparse_in_memory_estimates()
    {
        FeatureColumn[] features =
        [
            .. Enumerable.Range(0, 15).Select(i => new FeatureColumn($"f{i}", $"num{i}", FeatureKind.Number, 1000, HasMissing: false)),
            new("f15", "cat", FeatureKind.Category, 1000, false),
            new("f16", "comment", FeatureKind.Text, 5000, false) { AverageLength = 30 },
        ];
        Assert.InRange(FeatureWidth.NonZerosPerRow(features), 15 + 1 + 30, 15 + 1 + 40);
        // A million such rows fit a trial's share of a machine with a few GB; a dense count (1,000 one-hot slots) did not.
        Assert.True(FeatureWidth.BytesPerRow(features) * 1_000_000 * 3 < 2e9);
    }
}
