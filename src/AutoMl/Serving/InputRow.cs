using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// One reusable input row for a model whose columns are only known at run time (PredictionEngine needs a
/// compile-time class). Feature columns read the current encoded record; other columns give default values.
/// </summary>
internal sealed class InputRow : DataViewRow
{
    private static readonly MethodInfo DefaultGetterMethod =
        typeof(InputRow).GetMethod(nameof(DefaultGetter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Delegate[] _getters;
    private object[] _values = [];
    private long _position = -1;

    public InputRow(DataViewSchema schema, DatasetProfile profile)
    {
        Schema = schema;
        var index = profile.Features.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i);
        _getters = schema.Select(column => column.Name switch
        {
            TableView.NumbersColumn or TableView.MissableColumn => VectorGetter(TableView.Slots(profile, column.Name)),
            // Models trained before numbers became one vector have a column per feature.
            _ when index.TryGetValue(column.Name, out var f) => FeatureGetter(column, f),
            _ => DefaultGetterFor(column),
        }).ToArray();
    }

    public override DataViewSchema Schema { get; }

    /// <summary>Moves to a new record; transforms cache by position, so the position must change.</summary>
    public void Set(object[] encoded)
    {
        _values = encoded;
        _position++;
    }

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => true;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_getters[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

    private Delegate FeatureGetter(DataViewSchema.Column column, int feature) => column.Type.RawType == typeof(float)
        ? (ValueGetter<float>)((ref float value) => value = (float)_values[feature])
        : (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = ((string)_values[feature]).AsMemory());

    private Delegate VectorGetter(int[] slots) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> vector) =>
    {
        var editor = VBufferEditor.Create(ref vector, slots.Length);
        for (var s = 0; s < slots.Length; s++) editor.Values[s] = (float)_values[slots[s]];
        vector = editor.Commit();
    });

    private static Delegate DefaultGetterFor(DataViewSchema.Column column) =>
        (Delegate)DefaultGetterMethod.MakeGenericMethod(column.Type.RawType).Invoke(null, null)!;

    private static ValueGetter<T> DefaultGetter<T>() => (ref T value) => value = default!;
}
