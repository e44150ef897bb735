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
}
