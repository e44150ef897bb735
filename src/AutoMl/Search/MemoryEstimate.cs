using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>A rough upper bound of a trial's working set, to skip learners that would not fit beside the others.</summary>
internal static class MemoryEstimate
{
    private const int OneHotWidth = 64;
    private const int HashWidth = 4096;
    /// <summary>Non-zero text features per row (n-grams of a typical document).</summary>
    private const int TextValuesPerRow = 2000;
    /// <summary>Copies of the feature matrix a trial holds at once (cached input, featurized train, learner's own).</summary>
    private const int Copies = 3;

    public static bool Fits(Learner learner, DatasetProfile profile)
    {
        var valuesPerRow = profile.Features.Sum(f => f.Kind switch
        {
            "num" => f.HasMissing ? 2 : 1,
            "cat" => Math.Min(f.Distinct, f.Distinct <= OneHotWidth ? OneHotWidth : HashWidth),
            _ => TextValuesPerRow,
        });
        var bytes = (double)profile.Rows * valuesPerRow * learner.BytesPerValue * Copies;
        return bytes <= (double)profile.MemoryBytes / Math.Max(1, profile.ParallelTrials);
    }
}
