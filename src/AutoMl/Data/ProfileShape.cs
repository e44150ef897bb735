namespace Serverless.AutoMl.Data;

/// <summary>Derived facts of a profile that training code asks for (and sensible answers for profiles of older versions).</summary>
internal static class ProfileShape
{
    /// <summary>Prediction values per row: P(positive), one per class, or the value.</summary>
    public static int PredictionWidth(this DatasetProfile profile) => profile.Task == MlTask.Multiclass ? profile.Schema.Classes!.Count : 1;

    /// <summary>Rows with out-of-fold predictions; they are the first rows of the prepared table.</summary>
    public static int EvaluatedRows(this DatasetProfile profile) => profile.EvaluationRows > 0 ? profile.EvaluationRows : profile.Rows;

    public static IReadOnlyList<int> Samples(this DatasetProfile profile) =>
        profile.SampleSizes.Count > 0 ? profile.SampleSizes : [profile.Rows - (profile.Rows + profile.Folds - 1) / Math.Max(1, profile.Folds)];

    /// <summary>Every training row of a fold.</summary>
    public static int FullSampleRows(this DatasetProfile profile) => profile.Samples()[^1];
}
