using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// A rough upper bound of a trial's working set, to skip learners whose data copies would not fit beside the other
/// trials, and configurations whose model would not either.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>Copies of the feature matrix a trial holds at once (cached input, featurized train, learner's own).</summary>
    private const int Copies = 3;

    public static bool Fits(Learner learner, DatasetProfile profile) => DataBytes(learner, profile) <= Share(profile);

    public static bool Fits(Learner learner, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        Bytes(learner, profile, hp) <= Share(profile);

    public static double Bytes(Learner learner, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        DataBytes(learner, profile) + learner.ModelBytes(profile, hp);

    /// <summary>Each of the parallel trials gets an equal part of the memory there was when the data was prepared.</summary>
    public static double Share(DatasetProfile profile) => (double)profile.MemoryBytes / Math.Max(1, profile.ParallelTrials);

    private static double DataBytes(Learner learner, DatasetProfile profile) =>
        (double)profile.Rows * FeatureWidth.ValuesPerRow(profile.Features) * learner.BytesPerValue * Copies;
}
