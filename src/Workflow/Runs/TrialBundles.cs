namespace Serverless.Workflow.Runs;

/// <summary>
/// The trials of one executor call (a bundle) keep their output files in one blob, <c>work/bundles/{first trial id}.zip</c>,
/// so a run stores a blob per bundle rather than two per trial. A bundle's trials have consecutive ids and bundles
/// start in increasing order, so the first ids alone locate every trial's blob.
/// </summary>
public sealed record TrialBundles
{
    public IReadOnlyList<int> FirstIds { get; init; } = [];

    public static string BlobName(int firstTrialId) => $"bundles/{firstTrialId}.zip";

    /// <summary>The blob of the bundle that ran <paramref name="trialId"/>.</summary>
    public string BlobOf(int trialId) => BlobName(FirstIds.Last(first => first <= trialId));

    public TrialBundles With(int firstTrialId) => new() { FirstIds = [.. FirstIds, firstTrialId] };

    /// <summary>
    /// Only the bundles that ran these trials (a long search keeps a bounded part of its trials; the list of every
    /// bundle would grow with it). Bundles hold consecutive ids, so each kept trial still finds its own.
    /// </summary>
    public TrialBundles Keeping(IEnumerable<int> trialIds)
    {
        var firsts = FirstIds.ToList();
        var needed = trialIds.Select(id => firsts.BinarySearch(id) is var at && at >= 0 ? at : ~at - 1).Where(at => at >= 0).ToHashSet();
        return new() { FirstIds = [.. firsts.Where((_, at) => needed.Contains(at))] };
    }
}
