using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// Splits a member's raw score for one class into a base value plus one contribution per feature slot, so that the base
/// plus the contributions is exactly the raw score. Both are measured from the member's training rows (see
/// <see cref="MemberBackground"/>): the base is their average raw score. ML.NET's own feature contributions do not add
/// up for trees (each split is compared with the other branch's leaf) and do not cover multiclass, hence this.
/// </summary>
internal abstract class Attribution
{
    /// <summary>Writes each slot's contribution to the raw score of the class into slots and returns the base value.</summary>
    public abstract double Attribute(ReadOnlySpan<float> features, int @class, Span<double> slots);

    /// <summary>What contributions of this model are measured from, summed up over training rows' feature vectors.</summary>
    public abstract MemberBackground Summarize(IEnumerable<float[]> rows);

    /// <summary>
    /// The attribution of a member's scoring head, whose feature vector the schema holds; without a background, see
    /// each kind.
    /// </summary>
    public static Attribution For(ScoringHead head, DataViewSchema features, MemberBackground? background) => head.Map is { } map
        ? new KernelAttribution(map, features, head, (LinearAttribution)For(head.Predictor.Model, background: null), background)
        : For(head.Predictor.Model, background);

    /// <summary>The attribution of the model a member's predictor holds.</summary>
    private static Attribution For(object model, MemberBackground? background) => PredictorParts.Uncalibrated(model) switch
    {
        OneVersusAllModelParameters ova => new TreeAttribution(
            PredictorParts.ClassModels(ova).Select(m => TreeAttribution.Ensemble(PredictorParts.Uncalibrated(m))).ToList(), background),
        MaximumEntropyModelParameters maxent => LinearAttribution.Of(maxent, background),
        LinearModelParameters linear => new LinearAttribution([(linear.Weights.ToArray(), linear.Bias)], background),
        var trees => new TreeAttribution([TreeAttribution.Ensemble(trees)], background),
    };
}

/// <summary>
/// Linear models: a slot contributes weight × (value − its training mean), and the base is the score of the mean row.
/// Without a background the means are taken as 0: the base is the bias and a slot contributes weight × value.
/// </summary>
internal sealed class LinearAttribution : Attribution
{
    private readonly IReadOnlyList<float[]> _weights;
    private readonly double[] _bases;
    private readonly float[] _means;

    /// <param name="classes">Per class (one for binary and regression): the weight of each slot and the bias.</param>
    public LinearAttribution(IReadOnlyList<(float[] Weights, float Bias)> classes, MemberBackground? background)
    {
        _weights = classes.Select(c => c.Weights).ToList();
        _means = background?.Means ?? new float[_weights[0].Length];
        _bases = classes.Select(c => c.Bias + Dot(c.Weights, _means)).ToArray();
    }

    /// <summary>Maximum entropy: one linear score per class, before the softmax.</summary>
    public static LinearAttribution Of(MaximumEntropyModelParameters model, MemberBackground? background)
    {
        var weights = default(VBuffer<float>[]);
        model.GetWeights(ref weights, out var classes);
        var biases = model.GetBiases();
        return new LinearAttribution(
            Enumerable.Range(0, classes).Select(c => (weights![c].DenseValues().ToArray(), biases.ElementAt(c))).ToList(), background);
    }

    public override double Attribute(ReadOnlySpan<float> features, int @class, Span<double> slots)
    {
        var (weights, means) = (_weights[@class], _means);
        for (var i = 0; i < weights.Length; i++) slots[i] = weights[i] * ((double)features[i] - means[i]);
        return _bases[@class];
    }

    public override MemberBackground Summarize(IEnumerable<float[]> rows) => MemberBackground.OfMeans(rows, _weights[0].Length);

    /// <summary>The raw score of the class: the base plus every slot's contribution.</summary>
    public double Score(ReadOnlySpan<float> features, int @class)
    {
        var (weights, means) = (_weights[@class], _means);
        var score = _bases[@class];
        for (var i = 0; i < weights.Length; i++) score += weights[i] * ((double)features[i] - means[i]);
        return score;
    }

    private static double Dot(float[] weights, float[] values)
    {
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++) sum += (double)weights[i] * values[i];
        return sum;
    }
}

/// <summary>
/// Tree ensembles, by path attribution (Saabas): each split on the record's path moves the expected output from the
/// node's to the child's, and that move is the split feature's contribution; the base is the root's expected output. A
/// node's expected output is its leaves' values weighted by the training rows that reached them. Without a background
/// (or below a node no training row reached) the two children weigh the same.
/// </summary>
internal sealed class TreeAttribution : Attribution
{
    private readonly IReadOnlyList<(Tree[] Trees, double Scale)> _classes;

    /// <param name="classes">Per class (one for binary and regression): the trees, whose outputs sum to the raw score times Scale.</param>
    public TreeAttribution(IReadOnlyList<(IReadOnlyList<RegressionTreeBase> Trees, double Scale)> classes, MemberBackground? background)
    {
        _classes = classes.Select((c, k) =>
            (c.Trees.Select((tree, t) => new Tree(tree, background?.LeafCounts?[k][t])).ToArray(), c.Scale)).ToList();
    }

    /// <summary>
    /// A tree model's trees and the factor its raw score applies to their summed outputs: ML.NET scores with the plain
    /// sum of the leaves (tree weights and bias play no part) but averages a regression forest.
    /// </summary>
    public static (IReadOnlyList<RegressionTreeBase> Trees, double Scale) Ensemble(object model) => model switch
    {
        FastForestRegressionModelParameters forest => (forest.TrainedTreeEnsemble.Trees, 1.0 / forest.TrainedTreeEnsemble.Trees.Count),
        TreeEnsembleModelParametersBasedOnRegressionTree trees => (trees.TrainedTreeEnsemble.Trees, 1),
        TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest => (forest.TrainedTreeEnsemble.Trees, 1),
        _ => throw new NotSupportedException($"Contributions are not defined for {model.GetType().Name} models."),
    };

    public override double Attribute(ReadOnlySpan<float> features, int @class, Span<double> slots)
    {
        slots.Clear();
        var (trees, scale) = _classes[@class];
        var @base = 0.0;
        foreach (var tree in trees) @base += tree.Attribute(features, scale, slots);
        return scale * @base;
    }

    public override MemberBackground Summarize(IEnumerable<float[]> rows)
    {
        var counts = _classes.Select(c => c.Trees.Select(tree => new int[tree.Leaves]).ToArray()).ToArray();
        var count = 0;
        foreach (var row in rows)
        {
            count++;
            for (var k = 0; k < counts.Length; k++)
                for (var t = 0; t < counts[k].Length; t++) counts[k][t][_classes[k].Trees[t].Leaf(row)]++;
        }
        return new MemberBackground(count, LeafCounts: counts);
    }

    /// <summary>
    /// One tree, with each split node's expected output. Nodes are numbered from 0 (the root); a child below 0 is leaf
    /// ~child. A categorical split (LightGBM's native ones on a category's one-hot slots) sends a record right when any
    /// of its slots is set; its move goes to the slot that was set, or to the first slot of the category when none was.
    /// </summary>
    private sealed class Tree
    {
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly int[] _feature;
        private readonly float[] _threshold;
        private readonly int[]?[] _categories;
        private readonly double[] _leafValue;
        private readonly double[] _nodeValue;

        public Tree(RegressionTreeBase tree, int[]? leafCounts)
        {
            _left = tree.LeftChild.ToArray();
            _right = tree.RightChild.ToArray();
            _feature = tree.NumericalSplitFeatureIndexes.ToArray();
            _threshold = tree.NumericalSplitThresholds.ToArray();
            _categories = tree.CategoricalSplitFlags.Select((categorical, node) =>
                categorical ? tree.GetCategoricalSplitFeaturesAt(node).ToArray() : null).ToArray();
            for (var node = 0; node < _categories.Length; node++)
                if (_categories[node] is not null) _feature[node] = tree.GetCategoricalCategoricalSplitFeatureRangeAt(node)[0];
            _leafValue = tree.LeafValues.ToArray();
            _nodeValue = new double[_left.Length];
            var cover = new double[_left.Length];
            (double Value, double Cover) Of(int child) =>
                child >= 0 ? (_nodeValue[child], cover[child]) : (_leafValue[~child], leafCounts?[~child] ?? 0);
            // Parents are listed before their children, so going backwards computes children first.
            var order = new List<int>(_left.Length);
            if (_left.Length > 0) order.Add(0);
            for (var i = 0; i < order.Count; i++)
                foreach (var child in new[] { _left[order[i]], _right[order[i]] })
                    if (child >= 0) order.Add(child);
            for (var i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                var (left, leftCover) = Of(_left[node]);
                var (right, rightCover) = Of(_right[node]);
                cover[node] = leftCover + rightCover;
                _nodeValue[node] = cover[node] > 0 ? (left * leftCover + right * rightCover) / cover[node] : (left + right) / 2;
            }
        }

        public int Leaves => _leafValue.Length;

        public int Leaf(ReadOnlySpan<float> features)
        {
            var node = _left.Length > 0 ? 0 : ~0;
            while (node >= 0) node = Next(node, features).Child;
            return ~node;
        }

        /// <summary>Adds scale × each split's move to its feature's slot and returns the root's expected output.</summary>
        public double Attribute(ReadOnlySpan<float> features, double scale, Span<double> slots)
        {
            if (_left.Length == 0) return _leafValue[0];
            for (var node = 0; node >= 0;)
            {
                var (child, slot) = Next(node, features);
                var value = child >= 0 ? _nodeValue[child] : _leafValue[~child];
                slots[slot] += scale * (value - _nodeValue[node]);
                node = child;
            }
            return _nodeValue[0];
        }

        /// <summary>The child a record goes to from a split node, and the slot that decided it.</summary>
        private (int Child, int Slot) Next(int node, ReadOnlySpan<float> features)
        {
            if (_categories[node] is not { } categories)
                return (features[_feature[node]] <= _threshold[node] ? _left[node] : _right[node], _feature[node]);
            foreach (var slot in categories)
                if (features[slot] > 0) return (_right[node], slot);
            return (_left[node], _feature[node]);
        }
    }
}
