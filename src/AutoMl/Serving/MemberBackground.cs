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

    /// <summary>At most MaxRows of a member's training rows, spread evenly across them.</summary>
    public static int[] Sample(IReadOnlyList<int> rows)
    {
        var stride = Math.Max(1, (rows.Count + MaxRows - 1) / MaxRows);
        return rows.Where((_, i) => i % stride == 0).ToArray();
    }

    /// <summary>Sums up a trained member over rows of its training data (see <see cref="Sample"/>).</summary>
    public static MemberBackground Compute(MLContext context, byte[] model, IDataView rows)
    {
        using var stream = new MemoryStream(model);
        var member = context.Model.Load(stream, out _);
        try
        {
            var head = PredictorParts.Head(member);
            var scored = member.Transform(rows);
            return Attribution.For(head, scored.Schema, background: null).Summarize(Vectors(scored, head.FeatureColumn));
        }
        finally
        {
            (member as IDisposable)?.Dispose();
        }
    }

    /// <summary>Each slot's mean over the rows' feature vectors.</summary>
    public static MemberBackground OfMeans(IEnumerable<float[]> rows, int width)
    {
        var sums = new double[width];
        var count = 0;
        foreach (var row in rows)
        {
            count++;
            for (var i = 0; i < sums.Length; i++) sums[i] += row[i];
        }
        return new MemberBackground(count, Means: sums.Select(s => (float)(s / Math.Max(1, count))).ToArray());
    }

    /// <summary>The feature vector of every row, densified into one reused buffer.</summary>
    private static IEnumerable<float[]> Vectors(IDataView scored, string featureColumn)
    {
        var column = scored.Schema[featureColumn];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var vector = default(VBuffer<float>);
        var dense = new float[((VectorDataViewType)column.Type).Size];
        while (cursor.MoveNext())
        {
            getter(ref vector);
            vector.CopyTo(dense);
            yield return dense;
        }
    }
}
