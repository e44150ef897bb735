using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>A rough upper bound of a trial's working set, to skip learners that would not fit beside the others.</summary>
internal static class MemoryEstimate
{
    /// <summary>Copies of the feature matrix a trial holds at once (cached input, featurized train, learner's own).</summary>
    private const int Copies = 3;

    public static bool Fits(Learner learner, DatasetProfile profile)
    {
        var bytes = (double)profile.Rows * FeatureWidth.ValuesPerRow(profile.Features) * learner.BytesPerValue * Copies;
        return bytes <= (double)profile.MemoryBytes / Math.Max(1, profile.ParallelTrials);
    }
}
