using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

public sealed class TrialBundlesTests
{
    [Fact]
    public void Keeping_some_trials_keeps_only_their_bundles_and_each_still_finds_its_own()
    {
        // Bundles of trials 1-3, 4-9, 10, 11-20 and 21-: trials 5 and 22 are kept.
        var bundles = new TrialBundles().With(1).With(4).With(10).With(11).With(21);

        var kept = bundles.Keeping([5, 22]);

        Assert.Equal([4, 21], kept.FirstIds);
        Assert.Equal(bundles.BlobOf(5), kept.BlobOf(5));
        Assert.Equal(bundles.BlobOf(22), kept.BlobOf(22));
    }

    [Fact]
    public void Keeping_every_trial_keeps_every_bundle()
    {
        var bundles = new TrialBundles().With(1).With(3).With(6);

        Assert.Equal(bundles.FirstIds, bundles.Keeping(Enumerable.Range(1, 8)).FirstIds);
    }
}
