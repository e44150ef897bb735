using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Training;

/// <summary>
/// A rough upper bound of a trial's working set, to skip learners whose data copies would not fit beside the other
/// trials, and configurations whose model would not either. Rows count as sparse: a one-hot category or an n-gram
/// costs a row what it holds, not the width of its encoding.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>Copies of the featurized rows a trial holds at once (cached input, the learner's own, validation).</summary>
    private const int Copies = 3;

    public static bool Fits(Learner learner, DatasetProfile profile, int trainRows) => DataBytes(learner, profile, trainRows) <= Share(profile);

    public static bool Fits(Learner learner, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        Bytes(learner, profile, hp) <= Share(profile);

    public static double Bytes(Learner learner, DatasetProfile profile, IReadOnlyDictionary<string, double> hp) =>
        DataBytes(learner, profile, DataChoices.SampleRowsOf(profile, hp)) + learner.ModelBytes(profile, hp);

    /// <summary>Each of the parallel trials gets an equal part of the memory there was when the data was prepared.</summary>
    public static double Share(DatasetProfile profile) => (double)profile.MemoryBytes / Math.Max(1, profile.ParallelTrials);

    private static double DataBytes(Learner learner, DatasetProfile profile, int trainRows) =>
        (double)(trainRows + profile.EvaluatedRows() / Math.Max(1, profile.Folds)) * FeatureWidth.BytesPerRow(profile.Features) * learner.MemoryFactor * Copies;
}
