using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;
using Serverless.AutoMl.Serving;

namespace Serverless.AutoMl;

/// <summary>A model package loaded for serving. Predict and Explain are thread-safe.</summary>
public sealed class TrainedModel : IDisposable
{
    private readonly DatasetProfile _profile;
    private readonly RowEncoder _encoder;
    private readonly IReadOnlyList<(double Weight, ScorerPool Pool)> _members;
    private readonly ContributionExplainer _contributions;

    private TrainedModel(ModelPackage package)
    {
        Card = package.Card;
        // Packages trained before defaults were written as floats still read 13.050000190734863 for 13.05.
        _profile = package.Manifest.Profile with { Schema = SinglePrecision.Tidy(package.Manifest.Profile.Schema) };
        _encoder = new RowEncoder(_profile.Schema.Columns, _profile.Features);
        var context = new MLContext(_profile.Seed);
        _members = package.Manifest.Members
            .Select(m => (m.Weight, new ScorerPool(context, package.Models[m.TrialId], _profile, Width, m.TargetTransform)))
            .ToList();
        _contributions = new ContributionExplainer(_profile, package.Manifest.Members
            .Select((m, i) => (m.Weight, _members[i].Pool.Explainer(_profile, package.Backgrounds.GetValueOrDefault(m.TrialId))))
            .ToList());
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
    public Prediction Predict(IReadOnlyDictionary<string, string?> record) => ToPrediction(Score(Encode(record)));

    /// <summary>
    /// Why the model answers as it does for the record: its raw score split into a base value and one contribution per
    /// column, the <paramref name="top"/> largest named (see <see cref="Contributions"/>). Costs one scoring, as Predict.
    /// </summary>
    public Contributions Explain(IReadOnlyDictionary<string, string?> record, int top = 3)
    {
        var features = new List<VBuffer<float>>(_members.Count);
        var values = Score(Encode(record), features);
        return _contributions.Explain(features, PredictedIndex(values), Lookup(record), top);
    }

    /// <summary>Weighted average of the members' predictions for an encoded record.</summary>
    internal double[] Score(object[] encoded) => Score(encoded, features: null);

    /// <summary>Weighted average of the members' predictions; adds each member's feature vector to features when given.</summary>
    private double[] Score(object[] encoded, List<VBuffer<float>>? features)
    {
        var total = new double[Width];
        foreach (var (weight, pool) in _members)
        {
            var values = pool.Score(encoded, features);
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

    private object[] Encode(IReadOnlyDictionary<string, string?> record) => _encoder.Encode(Lookup(record), strict: true);

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

    /// <summary>
    /// The prediction as the models compute it, in single precision: an ensemble's average or 1 - p in double would
    /// otherwise show digits no model produced (0.06899999976158142 for 0.069).
    /// </summary>
    private Prediction ToPrediction(double[] scores)
    {
        var values = Array.ConvertAll(scores, v => SinglePrecision.Widen((float)v));
        var classes = Schema.Classes;
        switch (_profile.Task)
        {
            case MlTask.Binary:
                var p = values[0];
                return new Prediction
                {
                    Label = classes![PredictedIndex(values)],
                    Probabilities = new Dictionary<string, double> { [classes[0]] = SinglePrecision.Widen((float)(1 - p)), [classes[1]] = p },
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
        private readonly DataViewSchema _inputSchema;

        public ScorerPool(MLContext context, byte[] bytes, DatasetProfile profile, int width, TargetTransform target)
        {
            using var stream = new MemoryStream(bytes);
            Model = context.Model.Load(stream, out _inputSchema);
            Target = target;
            _create = () => new Scorer(Model, _inputSchema, profile, width, target);
        }

        public ITransformer Model { get; }

        public TargetTransform Target { get; }

        public MemberExplainer Explainer(DatasetProfile profile, MemberBackground? background) =>
            new(Model, _inputSchema, profile, Target, background);

        public double[] Score(object[] encoded, List<VBuffer<float>>? features)
        {
            var scorer = _idle.TryTake(out var idle) ? idle : _create();
            try
            {
                var values = scorer.Score(encoded);
                features?.Add(scorer.Features());
                return values;
            }
            finally { _idle.Add(scorer); }
        }

        public void Dispose() => (Model as IDisposable)?.Dispose();
    }
}
