using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;

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

    public Scorer(ITransformer model, DataViewSchema inputSchema, DatasetProfile profile, int width, TargetTransform target)
    {
        var parts = PredictorParts.Flatten(model).ToList();
        var head = PredictorParts.Head(model);
        var split = parts.IndexOf(head.First);
        var featurizer = Mapper(parts.Take(split), inputSchema);
        var featureIndex = profile.Features.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i);
        _record = new InputRow(inputSchema, column => column.Name switch
        {
            TableView.NumbersColumn or TableView.MissableColumn => VectorGetter(TableView.Slots(profile, column.Name)),
            // Models trained before numbers became one vector have a column per feature.
            _ when featureIndex.TryGetValue(column.Name, out var f) => RecordGetter(column, f),
            _ => null,
        });
        var features = featurizer.OutputSchema[head.FeatureColumn];
        _featurize = featurizer.GetRow(_record, [features]).GetGetter<VBuffer<float>>(features);
        _featurized = new InputRow(featurizer.OutputSchema, column => column.Index == features.Index
            ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => _features.CopyTo(ref value))
            : null);

        var mapper = Mapper(parts.Skip(split), featurizer.OutputSchema);
        var output = mapper.OutputSchema[Predictions.OutputColumn(profile.Task)];
        var row = mapper.GetRow(_featurized, [output]);
        if (profile.Task == MlTask.Multiclass)
        {
            var getter = row.GetGetter<VBuffer<float>>(output);
            var buffer = default(VBuffer<float>);
            _read = () =>
            {
                getter(ref buffer);
                return Predictions.Normalized(buffer.DenseValues(), width);
            };
        }
        else
        {
            var getter = row.GetGetter<float>(output);
            _read = () =>
            {
                float value = 0;
                getter(ref value);
                return [Predictions.OnLabelScale(value, target)];
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

    private static IRowToRowMapper Mapper(IEnumerable<ITransformer> parts, DataViewSchema input) =>
        ((ITransformer)new TransformerChain<ITransformer>([.. parts])).GetRowToRowMapper(input);

    /// <summary>A prepared column of the current record: a number, or the text of a category or text column.</summary>
    private Delegate RecordGetter(DataViewSchema.Column column, int feature) => column.Type.RawType == typeof(float)
        ? (ValueGetter<float>)((ref float value) => value = (float)_values[feature])
        : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = ((string)_values[feature]).AsMemory());

    /// <summary>The numbers of the current record a vector column holds (see TableView.Slots).</summary>
    private Delegate VectorGetter(int[] slots) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> vector) =>
    {
        var editor = VBufferEditor.Create(ref vector, slots.Length);
        for (var s = 0; s < slots.Length; s++) editor.Values[s] = (float)_values[slots[s]];
        vector = editor.Commit();
    });
}
