using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// A package's contributions: each member's per feature slot, times the member's weight, summed per input column.
/// Members combine linearly in their output space: exact for regression, whose members' predictions (on the label's
/// scale, a log-target member's mapped back) are averaged; for classification the members' probabilities are averaged,
/// so the combined raw score is the weighted average of the members' margins, not the margin of the averaged probability.
/// </summary>
internal sealed class ContributionExplainer(DatasetProfile profile, IReadOnlyList<(double Weight, MemberExplainer Member)> members)
{
    private const int MaxWords = 5;
    private const int Decimals = 6;

    /// <param name="features">Each member's feature vector for the record, in member order.</param>
    /// <param name="predicted">The predicted class (binary: 1 = positive), 0 for regression.</param>
    /// <param name="valueOf">The record's value of a column.</param>
    /// <param name="top">How many columns to name.</param>
    public Contributions Explain(IReadOnlyList<VBuffer<float>> features, int predicted, Func<string, string?> valueOf, int top)
    {
        var columns = profile.Schema.Columns;
        var byColumn = new double[columns.Count];
        var words = new Dictionary<(int Column, string Text), double>();
        // A binary member scores the positive class; the negative class's raw score is its negation.
        var sign = profile.Task == MlTask.Binary && predicted == 0 ? -1 : 1;
        var @class = profile.Task == MlTask.Multiclass ? predicted : 0;
        double baseValue = 0, rawScore = 0;
        for (var m = 0; m < members.Count; m++)
        {
            var (weight, member) = members[m];
            var dense = new float[features[m].Length];
            features[m].CopyTo(dense);
            var slots = new double[member.Slots.Count];
            var (@base, output) = member.Attribute(dense, @class, slots);
            var share = sign * weight;
            baseValue += share * @base;
            rawScore += share * output;
            var (slotColumns, slotWords) = (member.Slots.Columns, member.Slots.Words);
            for (var i = 0; i < slots.Length; i++)
            {
                var contribution = share * slots[i];
                byColumn[slotColumns[i]] += contribution;
                // Words the text has, not those whose absence counted.
                if (slotWords[i] is { } text && dense[i] != 0 && contribution != 0)
                    words[(slotColumns[i], text)] = words.GetValueOrDefault((slotColumns[i], text)) + contribution;
            }
        }
        var named = Enumerable.Range(0, columns.Count).Where(c => byColumn[c] != 0)
            .OrderByDescending(c => Math.Abs(byColumn[c])).ThenBy(c => columns[c].Name, StringComparer.Ordinal)
            .Take(top).ToList();
        return new Contributions
        {
            ScoreOf = profile.Task == MlTask.Regression ? profile.Schema.Label : profile.Schema.Classes![predicted],
            BaseValue = Math.Round(baseValue, Decimals),
            RawScore = Math.Round(rawScore, Decimals),
            Factors = named.Select(c => new Factor(columns[c].Name, valueOf(columns[c].Name), Math.Round(byColumn[c], Decimals))
            {
                Words = WordsOf(words, c),
            }).ToList(),
            OtherColumns = Math.Round(rawScore - baseValue - named.Sum(c => byColumn[c]), Decimals),
        };
    }

    private static IReadOnlyList<WordContribution>? WordsOf(Dictionary<(int Column, string Text), double> words, int column)
    {
        var top = words.Where(w => w.Key.Column == column)
            .OrderByDescending(w => Math.Abs(w.Value)).ThenBy(w => w.Key.Text, StringComparer.Ordinal)
            .Take(MaxWords)
            .Select(w => new WordContribution(w.Key.Text, Math.Round(w.Value, Decimals)))
            .ToList();
        return top.Count > 0 ? top : null;
    }
}

/// <summary>
/// One ensemble member's contributions to what it predicts: its attribution, the column of each feature slot, and the
/// steps that map its raw output to its prediction (a Poisson model's log link, a log target's inverse), each a separate
/// last step.
/// </summary>
internal sealed class MemberExplainer
{
    /// <summary>Half the interval the slope of a step is measured on where the base and the raw output coincide.</summary>
    private const double SlopeStep = 1e-6;

    private readonly Attribution _attribution;
    private readonly IReadOnlyList<Func<double, double>> _steps;

    public MemberExplainer(ITransformer member, DataViewSchema inputSchema, DatasetProfile profile, TargetTransform target, MemberBackground? background)
    {
        var head = PredictorParts.Head(member);
        Slots = FeatureSlots.Of(member, inputSchema, head.FeatureColumn, profile);
        _attribution = Attribution.For(head, member.GetOutputSchema(inputSchema), background);
        List<Func<double, double>> steps = [];
        // Poisson regression outputs exp of its linear score.
        if (head.Predictor.Model is PoissonRegressionModelParameters) steps.Add(Math.Exp);
        // A log-target member predicts log(1 + value), which serving maps back.
        if (target != TargetTransform.None) steps.Add(score => Predictions.OnLabelScale(score, target));
        _steps = steps;
    }

    public FeatureSlots Slots { get; }

    /// <summary>Writes each slot's contribution to the member's prediction for the class; returns the base value and the prediction.</summary>
    public (double Base, double Output) Attribute(ReadOnlySpan<float> features, int @class, Span<double> slots)
    {
        var @base = _attribution.Attribute(features, @class, slots);
        var raw = @base;
        foreach (var contribution in slots) raw += contribution;
        foreach (var step in _steps) (@base, raw) = Mapped(step, @base, raw, slots);
        return (@base, raw);
    }

    /// <summary>
    /// Maps the base and the output through a monotone step: the contributions, scaled by
    /// (step(raw) − step(base)) / (raw − base), add up to the mapped output and keep their signs and proportions.
    /// </summary>
    private static (double Base, double Output) Mapped(Func<double, double> step, double @base, double raw, Span<double> slots)
    {
        var (from, to) = (step(@base), step(raw));
        var scale = raw != @base
            ? (to - from) / (raw - @base)
            : (step(@base + SlopeStep) - step(@base - SlopeStep)) / (2 * SlopeStep);
        foreach (ref var contribution in slots) contribution *= scale;
        return (from, to);
    }
}
