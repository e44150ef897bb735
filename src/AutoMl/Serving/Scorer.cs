using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>A model wired to one reusable input row; not thread-safe, so TrainedModel pools them.</summary>
internal sealed class Scorer
{
    private readonly InputRow _input;
    private readonly Func<double[]> _read;

    public Scorer(ITransformer model, DataViewSchema inputSchema, DatasetProfile profile, int width, TargetTransform target)
    {
        _input = new InputRow(inputSchema, profile);
        var mapper = model.GetRowToRowMapper(inputSchema);
        var output = mapper.OutputSchema[Predictions.OutputColumn(profile.Task)];
        var row = mapper.GetRow(_input, [output]);
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
        _input.Set(encoded);
        return _read();
    }
}
