using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Data;

/// <summary>
/// Rows of a prepared table as an ML.NET data view, without copying them: the numeric features as one vector
/// (Numbers), those that have missing values again (Missable, for missingness indicators), each category or text
/// feature as its own text column (f{i}), the label in the learners' type (bool, class key, float), LogLabel for skewed
/// regression targets, and Row (the row's index in the table). One vector instead of a column per number keeps wide
/// data cheap: ML.NET's cost per column dominates with thousands of them. Optionally some features read their values
/// from other rows (a permutation), which is how permutation importance shuffles a column.
/// </summary>
internal sealed class TableView : IDataView
{
    public const string NumbersColumn = "Numbers";
    public const string MissableColumn = "Missable";
    public const string LabelColumn = "Label";
    public const string LogLabelColumn = "LogLabel";
    public const string RowColumn = "Row";

    private readonly PreparedTable _table;
    private readonly int[] _rows;
    private readonly DatasetProfile _profile;
    private readonly IReadOnlySet<int> _permuted;
    private readonly int[]? _permutation;

    public TableView(DatasetProfile profile, PreparedTable table, int[] rows, IReadOnlySet<int>? permutedFeatures = null, int[]? permutation = null)
    {
        _profile = profile;
        _table = table;
        _rows = rows;
        _permuted = permutedFeatures ?? new HashSet<int>();
        _permutation = permutation;
        Schema = SchemaOf(profile);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _rows.Length;

    /// <summary>The features a vector column holds, in slot order.</summary>
    public static int[] Slots(DatasetProfile profile, string vector) => profile.Features
        .Select((f, i) => (f, i))
        .Where(x => x.f.Kind == FeatureKind.Number && (vector == NumbersColumn || x.f.HasMissing))
        .Select(x => x.i).ToArray();

    public static DataViewSchema SchemaOf(DatasetProfile profile)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var vector in new[] { NumbersColumn, MissableColumn })
            if (Slots(profile, vector) is { Length: > 0 } slots)
                builder.AddColumn(vector, new VectorDataViewType(NumberDataViewType.Single, slots.Length));
        foreach (var feature in profile.Features.Where(f => f.Kind != FeatureKind.Number))
            builder.AddColumn(feature.Name, TextDataViewType.Instance);
        builder.AddColumn(LabelColumn, profile.Task switch
        {
            MlTask.Binary => BooleanDataViewType.Instance,
            MlTask.Multiclass => new KeyDataViewType(typeof(uint), profile.Schema.Classes!.Count),
            _ => NumberDataViewType.Single,
        });
        if (profile.SkewedTarget) builder.AddColumn(LogLabelColumn, NumberDataViewType.Single);
        builder.AddColumn(RowColumn, NumberDataViewType.Int32);
        return builder.ToSchema();
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TableView _view;
        private readonly HashSet<int> _active;
        private readonly Delegate[] _getters;
        private int _position = -1;

        public Cursor(TableView view, HashSet<int> active)
        {
            _view = view;
            _active = active;
            _getters = view.Schema.Select(c => Getter(c.Name)).ToArray();
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext() => ++_position < _view._rows.Length;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_getters[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        private int Row => _view._rows[_position];

        private int FeatureRow(int feature) =>
            _view._permutation is { } permutation && _view._permuted.Contains(feature) ? _view._rows[permutation[_position]] : Row;

        private Delegate Getter(string column)
        {
            var view = _view;
            var labels = view._table.Labels;
            switch (column)
            {
                case NumbersColumn or MissableColumn:
                    var slots = Slots(view._profile, column);
                    var values = slots.Select(f => ((NumberValues)view._table.Features[f]).Values).ToArray();
                    return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> vector) =>
                    {
                        var editor = VBufferEditor.Create(ref vector, slots.Length);
                        for (var s = 0; s < slots.Length; s++) editor.Values[s] = values[s][FeatureRow(slots[s])];
                        vector = editor.Commit();
                    });
                case LabelColumn:
                    return view._profile.Task switch
                    {
                        MlTask.Binary => (ValueGetter<bool>)((ref bool value) => value = labels[Row] == 1),
                        MlTask.Multiclass => (ValueGetter<uint>)((ref uint value) => value = (uint)labels[Row] + 1),
                        _ => (ValueGetter<float>)((ref float value) => value = labels[Row]),
                    };
                case LogLabelColumn:
                    return (ValueGetter<float>)((ref float value) => value = float.LogP1(Math.Max(0, labels[Row])));
                case RowColumn:
                    return (ValueGetter<int>)((ref int value) => value = Row);
                default:
                    var feature = view._profile.Features.Select((f, i) => (f, i)).First(x => x.f.Name == column).i;
                    var coded = (CodedValues)view._table.Features[feature];
                    return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                    {
                        var code = coded.Codes[FeatureRow(feature)];
                        value = code < 0 ? ReadOnlyMemory<char>.Empty : coded.Levels[code].AsMemory();
                    });
            }
        }
    }
}
