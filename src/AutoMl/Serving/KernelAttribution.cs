using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// Kernel members: the linear model weighs random features of the scaled slots, not the slots, so each slot's
/// contribution is a sampled Shapley value. Along a permutation of the slots, each slot in turn moves from its
/// background mean to the record's value, and the move of the raw score is credited to it; a slot's contribution is its
/// average credit. Along every permutation the moves add up to the record's raw score less the mean row's (the base),
/// so the contributions add up exactly however few permutations are drawn. Permutations come from a fixed seed, in
/// antithetic pairs (an order, then its reverse), so a record is explained the same each time. Without a background
/// the means are taken as 0.
/// </summary>
internal sealed class KernelAttribution : Attribution
{
    private const int Seed = 7;
    private const int MinPermutations = 8;
    private const int MaxPermutations = 64;
    /// <summary>Multiply-adds one explanation spends on its samples at most (unless MinPermutations need more): milliseconds.</summary>
    private const double WorkBudget = 50e6;

    private readonly ITransformer _map;
    private readonly DataViewSchema _input;
    private readonly string _output;
    private readonly LinearAttribution _linear;
    private readonly float[] _means;
    private readonly int _rank;

    /// <param name="map">The random-feature map, reading the head's feature column of <paramref name="features"/>.</param>
    /// <param name="linear">The linear model on the random features (its own background ignored: means of 0).</param>
    public KernelAttribution(ITransformer map, DataViewSchema features, ScoringHead head, LinearAttribution linear, MemberBackground? background)
    {
        var column = features[head.FeatureColumn];
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(column.Name, column.Type);
        _input = builder.ToSchema();
        _map = map;
        _output = head.Predictor.FeatureColumnName;
        _linear = linear;
        _means = background?.Means ?? new float[((VectorDataViewType)column.Type).Size];
        _rank = ((VectorDataViewType)map.GetOutputSchema(_input)[_output].Type).Size;
    }

    public override double Attribute(ReadOnlySpan<float> features, int @class, Span<double> slots)
    {
        slots.Clear();
        var model = new RawScore(this, @class);
        var @base = model.Of(_means);
        var changed = new List<int>();
        for (var i = 0; i < _means.Length; i++)
            if (features[i] != _means[i]) changed.Add(i);
        var players = changed.ToArray();
        if (players.Length == 0) return @base;
        var permutations = Permutations(players.Length);
        var random = new Random(Seed);
        var current = new float[_means.Length];
        for (var p = 0; p < permutations; p++)
        {
            if (p % 2 == 0) random.Shuffle(players);
            else Array.Reverse(players);
            _means.CopyTo(current, 0);
            var previous = @base;
            foreach (var slot in players)
            {
                current[slot] = features[slot];
                var score = model.Of(current);
                slots[slot] += score - previous;
                previous = score;
            }
        }
        foreach (var slot in players) slots[slot] /= permutations;
        return @base;
    }

    public override MemberBackground Summarize(IEnumerable<float[]> rows) => MemberBackground.OfMeans(rows, _means.Length);

    /// <summary>An even number of permutations whose scores (each maps the slots to rank features) fit the work budget.</summary>
    private int Permutations(int players)
    {
        var perPermutation = (double)players * _rank * (_means.Length + 1);
        var affordable = (int)Math.Clamp(WorkBudget / perPermutation, MinPermutations, MaxPermutations);
        return affordable - affordable % 2;
    }

    /// <summary>The member's raw score of a class for feature vectors, through a row of its own (one per explanation: thread-safe).</summary>
    private sealed class RawScore
    {
        private readonly KernelAttribution _owner;
        private readonly int _class;
        private readonly InputRow _row;
        private readonly ValueGetter<VBuffer<float>> _mapped;
        private readonly float[] _random;
        private float[] _features = [];
        private VBuffer<float> _buffer;

        public RawScore(KernelAttribution owner, int @class)
        {
            (_owner, _class) = (owner, @class);
            var mapper = owner._map.GetRowToRowMapper(owner._input);
            _row = new InputRow(owner._input, _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                new VBuffer<float>(_features.Length, _features).CopyTo(ref value)));
            var output = mapper.OutputSchema[owner._output];
            _mapped = mapper.GetRow(_row, [output]).GetGetter<VBuffer<float>>(output);
            _random = new float[owner._rank];
        }

        public double Of(float[] features)
        {
            _features = features;
            _row.Advance();
            _mapped(ref _buffer);
            _buffer.CopyTo(_random);
            return _owner._linear.Score(_random, _class);
        }
    }
}
