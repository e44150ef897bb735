using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>A model wired to one reusable input row; not thread-safe, so TrainedModel pools them.</summary>
internal sealed class Scorer
{
    private readonly InputRow _input;
    private readonly Func<double[]> _read;
    private readonly ValueGetter<VBuffer<float>> _features;

    public Scorer(ITransformer model, DataViewSchema inputSchema, DatasetProfile profile, int width)
    {
        _input = new InputRow(inputSchema, profile.Features);
        var mapper = model.GetRowToRowMapper(inputSchema);
        var output = mapper.OutputSchema[profile.Task == MlTask.Binary ? "Probability" : "Score"];
        var features = mapper.OutputSchema[PredictorParts.Predictor(model).FeatureColumnName];
        var row = mapper.GetRow(_input, [output, features]);
        _features = row.GetGetter<VBuffer<float>>(features);
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
        _input.Set(encoded);
        return _read();
    }

    /// <summary>A copy of the feature vector the model scored last.</summary>
    public VBuffer<float> Features()
    {
        var features = default(VBuffer<float>);
        _features(ref features);
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
}
