using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// One reusable input row for a model whose columns are only known at run time (PredictionEngine needs a
/// compile-time class). The columns its owner supplies read the owner's current values; other columns give default values.
/// </summary>
internal sealed class InputRow : DataViewRow
{
    private static readonly MethodInfo DefaultGetterMethod =
        typeof(InputRow).GetMethod(nameof(DefaultGetter), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Delegate[] _getters;
    private long _position = -1;

    /// <param name="schema">The columns of the row.</param>
    /// <param name="getter">The getter of a column the owner supplies, or null for a column left at its default.</param>
    public InputRow(DataViewSchema schema, Func<DataViewSchema.Column, Delegate?> getter)
    {
        Schema = schema;
        _getters = schema.Select(column => getter(column) ?? DefaultGetterFor(column)).ToArray();
    }

    public override DataViewSchema Schema { get; }

    /// <summary>Moves to the owner's next values; transforms cache by position, so the position must change.</summary>
    public void Advance() => _position++;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => true;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_getters[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

    private static Delegate DefaultGetterFor(DataViewSchema.Column column) =>
        (Delegate)DefaultGetterMethod.MakeGenericMethod(column.Type.RawType).Invoke(null, null)!;

    private static ValueGetter<T> DefaultGetter<T>() => (ref T value) => value = default!;
}
