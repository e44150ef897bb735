using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// What a member's contributions are measured from: a summary of the feature vectors of its training rows, no row itself.
/// Linear models keep each slot's mean; tree models how many rows reached each leaf (per class, per tree).
/// </summary>
internal sealed record MemberBackground(int Rows, float[]? Means = null, int[][][]? LeafCounts = null)
{
    /// <summary>Rows summed up at most: enough for stable means and leaf shares, quick to compute when a run finishes.</summary>
    private const int MaxRows = 2000;

    /// <summary>Sums up a trained member over rows spread evenly across its training data.</summary>
    public static MemberBackground Compute(MLContext context, byte[] model, IDataView rows, int rowCount)
    {
        using var stream = new MemoryStream(model);
        var member = context.Model.Load(stream, out _);
        try
        {
            var predictor = PredictorParts.Predictor(member);
            return Attribution.For(predictor.Model, background: null)
                .Summarize(Vectors(member.Transform(rows), predictor.FeatureColumnName, Math.Max(1, rowCount / MaxRows)));
        }
        finally
        {
            (member as IDisposable)?.Dispose();
        }
    }

    /// <summary>The feature vector of every stride-th row, densified into one reused buffer.</summary>
    private static IEnumerable<float[]> Vectors(IDataView scored, string featureColumn, int stride)
    {
        var column = scored.Schema[featureColumn];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var vector = default(VBuffer<float>);
        var dense = new float[((VectorDataViewType)column.Type).Size];
        for (var row = 0; cursor.MoveNext(); row++)
        {
            if (row % stride != 0) continue;
            getter(ref vector);
            vector.CopyTo(dense);
            yield return dense;
        }
    }
}
