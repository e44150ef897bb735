using System.Collections.Concurrent;
using Microsoft.ML;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl;

/// <summary>A model package loaded for serving. Predict and Explain are thread-safe.</summary>
public sealed class TrainedModel : IDisposable
{
    private readonly DatasetProfile _profile;
    private readonly RowEncoder _encoder;
    private readonly IReadOnlyList<(double Weight, ScorerPool Pool)> _members;
    private readonly IReadOnlyList<string> _columnsByImportance;

    private TrainedModel(ModelPackage package)
    {
        Card = package.Card;
        _columnsByImportance = ColumnsByImportance(Card);
        _profile = package.Manifest.Profile;
        _encoder = new RowEncoder(_profile.Schema.Columns, _profile.Features);
        var context = new MLContext(_profile.Seed);
        _members = package.Manifest.Members
            .Select(m => (m.Weight, new ScorerPool(context, package.Models[m.TrialId], _profile, Width, m.TargetTransform)))
            .ToList();
    }

    public static TrainedModel Load(string path) => new(ModelPackage.Read(path));

    internal static TrainedModel From(ModelPackage package) => new(package);

    public ModelSchema Schema => _profile.Schema;

    public ModelCard Card { get; }

    private int Width => _profile.Task == MlTask.Multiclass ? _profile.Schema.Classes!.Count : 1;

    /// <summary>
    /// Columns the record lacks take their training default; unknown columns are ignored; a numeric field that
    /// does not parse throws InvalidRecordException naming it.
    /// </summary>
    public Prediction Predict(IReadOnlyDictionary<string, string?> record) => ToPrediction(Score(Encode(record, replaced: null)));

    /// <summary>
    /// The columns that moved this answer most: each column's effect is how much the predicted class's probability
    /// (or the predicted value) drops when the column's value is replaced by its training default. Only the model's
    /// most important columns (permutation importance, at least 8) are candidates, and a value that already is the
    /// default moves nothing, so it costs no scoring: an answer needs a handful of scorings, not one per column.
    /// </summary>
    public IReadOnlyList<Factor> Explain(IReadOnlyDictionary<string, string?> record, int top = 3)
    {
        var encoded = Encode(record, replaced: null);
        var baseline = Score(encoded);
        var target = PredictedIndex(baseline);
        var lookup = Lookup(record);
        return ExplainCandidates(top)
            .Select(column =>
            {
                var withDefault = Encode(record, replaced: column);
                var effect = withDefault.SequenceEqual(encoded) ? 0 : Support(baseline, target) - Support(Score(withDefault), target);
                return new Factor(column, lookup(column), Math.Round(effect, 6));
            })
            .OrderByDescending(f => Math.Abs(f.Effect)).ThenBy(f => f.Column, StringComparer.Ordinal)
            .Take(top)
            .ToList();
    }

    private IEnumerable<string> ExplainCandidates(int top) => _columnsByImportance.Take(Math.Max(8, 2 * top));

    private static IReadOnlyList<string> ColumnsByImportance(ModelCard card) =>
        card.FeatureImportance.OrderByDescending(f => f.Importance).Select(f => f.Column)
            .Intersect(card.Schema.Columns.Select(c => c.Name))
            .Concat(card.Schema.Columns.Select(c => c.Name))
            .Distinct()
            .ToList();

    /// <summary>Weighted average of the members' predictions for an encoded record.</summary>
    internal double[] Score(object[] encoded)
    {
        var total = new double[Width];
        foreach (var (weight, pool) in _members)
        {
            var values = pool.Score(encoded);
            for (var i = 0; i < total.Length; i++) total[i] += weight * values[i];
        }
        return total;
    }

    /// <summary>
    /// Scores every row of a view shaped like the training data (e.g. a TableView of encoded records) in one pass per
    /// member: much faster than a record at a time. Returns the weighted predictions by row position.
    /// </summary>
    internal double[][] ScoreAll(IDataView rows)
    {
        var count = (int)(rows.GetRowCount() ?? throw new ArgumentException("The view must know its row count.", nameof(rows)));
        var total = Enumerable.Range(0, count).Select(_ => new double[Width]).ToArray();
        foreach (var (weight, pool) in _members)
        {
            var position = 0;
            foreach (var (_, values) in Predictions.Read(pool.Model.Transform(rows), _profile.Task, Width, pool.Target))
            {
                for (var i = 0; i < Width; i++) total[position][i] += weight * values[i];
                position++;
            }
        }
        return total;
    }

    /// <summary>Encodes records (raw text by column name) into the prepared values a model's rows hold.</summary>
    internal object[] Encode(Func<string, string?> valueOf) => _encoder.Encode(valueOf, strict: false);

    internal DatasetProfile Profile => _profile;

    private object[] Encode(IReadOnlyDictionary<string, string?> record, string? replaced)
    {
        var lookup = Lookup(record);
        return _encoder.Encode(name => name == replaced ? null : lookup(name), strict: true);
    }

    private static Func<string, string?> Lookup(IReadOnlyDictionary<string, string?> record)
    {
        if (record is Dictionary<string, string?> { Comparer: var comparer } && comparer.Equals(StringComparer.OrdinalIgnoreCase))
            return name => record.GetValueOrDefault(name);
        var ignoringCase = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in record) ignoringCase.TryAdd(key, value);
        return name => ignoringCase.GetValueOrDefault(name);
    }

    /// <summary>The predicted class (binary: 1 = positive), or 0 for regression.</summary>
    private int PredictedIndex(double[] values) => _profile.Task switch
    {
        MlTask.Binary => values[0] >= 0.5 ? 1 : 0,
        MlTask.Multiclass => Array.IndexOf(values, values.Max()),
        _ => 0,
    };

    /// <summary>How strongly values back the target: its probability, or the predicted value for regression.</summary>
    private double Support(double[] values, int target) => _profile.Task switch
    {
        MlTask.Binary => target == 1 ? values[0] : 1 - values[0],
        _ => values[target],
    };

    private Prediction ToPrediction(double[] values)
    {
        var classes = Schema.Classes;
        switch (_profile.Task)
        {
            case MlTask.Binary:
                var p = values[0];
                return new Prediction
                {
                    Label = classes![PredictedIndex(values)],
                    Probabilities = new Dictionary<string, double> { [classes[0]] = 1 - p, [classes[1]] = p },
                };
            case MlTask.Multiclass:
                return new Prediction
                {
                    Label = classes![PredictedIndex(values)],
                    Probabilities = classes.Select((c, i) => (c, values[i])).ToDictionary(x => x.c, x => x.Item2),
                };
            default:
                return new Prediction { Score = values[0] };
        }
    }

    public void Dispose()
    {
        foreach (var (_, pool) in _members) pool.Dispose();
    }

    /// <summary>Scorers of one member, reused across calls and threads.</summary>
    private sealed class ScorerPool : IDisposable
    {
        private readonly ConcurrentBag<Scorer> _idle = [];
        private readonly Func<Scorer> _create;

        public ScorerPool(MLContext context, byte[] bytes, DatasetProfile profile, int width, TargetTransform target)
        {
            using var stream = new MemoryStream(bytes);
            Model = context.Model.Load(stream, out var inputSchema);
            Target = target;
            _create = () => new Scorer(Model, inputSchema, profile, width, target);
        }

        public ITransformer Model { get; }

        public TargetTransform Target { get; }

        public double[] Score(object[] encoded)
        {
            var scorer = _idle.TryTake(out var idle) ? idle : _create();
            try { return scorer.Score(encoded); }
            finally { _idle.Add(scorer); }
        }

        public void Dispose() => (Model as IDisposable)?.Dispose();
    }
}
