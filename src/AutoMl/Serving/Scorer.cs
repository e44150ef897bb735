using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// A model wired to reusable input rows; not thread-safe, so TrainedModel pools them. The featurization and the scoring
/// run as two steps, so that the feature vector is computed once and is there for the contributions too.
/// </summary>
internal sealed class Scorer
{
    private readonly InputRow _record;
    private readonly ValueGetter<VBuffer<float>> _featurize;
    private readonly InputRow _featurized;
    private readonly Func<double[]> _read;
    private object[] _values = [];
    private VBuffer<float> _features;

    public Scorer(ITransformer model, DataViewSchema inputSchema, DatasetProfile profile, int width)
    {
        var parts = PredictorParts.Flatten(model).ToList();
        var predictor = PredictorParts.Predictor(model);
        var split = parts.IndexOf(predictor);
        var featurizer = Mapper(parts.Take(split), inputSchema);
        var featureIndex = profile.Features.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i);
        _record = new InputRow(inputSchema, column => featureIndex.TryGetValue(column.Name, out var f) ? RecordGetter(column, f) : null);
        var features = featurizer.OutputSchema[predictor.FeatureColumnName];
        _featurize = featurizer.GetRow(_record, [features]).GetGetter<VBuffer<float>>(features);
        _featurized = new InputRow(featurizer.OutputSchema, column => column.Index == features.Index
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => _features.CopyTo(ref value))
            : null);

        var mapper = Mapper(parts.Skip(split), featurizer.OutputSchema);
        var output = mapper.OutputSchema[profile.Task == MlTask.Binary ? "Probability" : "Score"];
        var row = mapper.GetRow(_featurized, [output]);
        if (profile.Task == MlTask.Multiclass)
        {
            var getter = row.GetGetter<VBuffer<float>>(output);
            var buffer = default(VBuffer<float>);
            _read = () =>
            {
                getter(ref buffer);
                return Normalized(buffer.DenseValues(), width);
            };
        }
        else
        {
            var getter = row.GetGetter<float>(output);
            _read = () =>
            {
                float value = 0;
                getter(ref value);
                return [value];
            };
        }
    }

    public double[] Score(object[] encoded)
    {
        _values = encoded;
        _record.Advance();
        _featurize(ref _features);
        _featurized.Advance();
        return _read();
    }

    /// <summary>A copy of the feature vector the model scored last.</summary>
    public VBuffer<float> Features()
    {
        var features = default(VBuffer<float>);
        _features.CopyTo(ref features);
        return features;
    }

    /// <summary>Class scores as probabilities summing to one (one-versus-all scores do not).</summary>
    public static double[] Normalized(IEnumerable<float> scores, int width)
    {
        var values = scores.Select(s => double.IsFinite(s) ? Math.Max(0, (double)s) : 0).Take(width).ToArray();
        Array.Resize(ref values, width);
        var sum = values.Sum();
        return sum > 0 ? values.Select(v => v / sum).ToArray() : values.Select(_ => 1.0 / width).ToArray();
    }

    private static IRowToRowMapper Mapper(IEnumerable<ITransformer> parts, DataViewSchema input) =>
        ((ITransformer)new TransformerChain<ITransformer>([.. parts])).GetRowToRowMapper(input);

    /// <summary>A prepared column of the current record: a number, or the text of a category or text column.</summary>
    private Delegate RecordGetter(DataViewSchema.Column column, int feature) => column.Type.RawType == typeof(float)
        ? (ValueGetter<float>)((ref float value) => value = (float)_values[feature])
        : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = ((string)_values[feature]).AsMemory());
}
