using System.Collections;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace Serverless.AutoMl.Serving;

/// <summary>Finds the learned model inside a member's transformer chain, where ML.NET nests it in chains and calibrators.</summary>
internal static class PredictorParts
{
    public static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    /// <summary>The transformer that scores the feature vector (a calibrator appended after it scores nothing).</summary>
    public static ISingleFeaturePredictionTransformer<object> Predictor(ITransformer member) =>
        Flatten(member).OfType<ISingleFeaturePredictionTransformer<object>>().Last(p => p.Model is not ICalibrator);

    /// <summary>
    /// What scores a member's feature vector: its predictor and, for a kernel member, the random-feature map in front
    /// of it, which then reads the feature vector (its scaled slots, which contributions are measured on).
    /// </summary>
    public static ScoringHead Head(ITransformer member)
    {
        var predictor = Predictor(member);
        var parts = Flatten(member).ToList();
        var at = parts.IndexOf(predictor);
        return at > 0 && parts[at - 1] is ApproximatedKernelTransformer map
            ? new ScoringHead(predictor, map, Inputs(member)[predictor.FeatureColumnName][0])
            : new ScoringHead(predictor, null, predictor.FeatureColumnName);
    }

    /// <summary>A calibrated model's raw scorer; any other model as it is.</summary>
    public static object Uncalibrated(object model)
    {
        for (var type = model.GetType(); type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(CalibratedModelParametersBase<,>))
                return type.GetProperty("SubModel", BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)!.GetValue(model)!;
        return model;
    }

    /// <summary>
    /// The columns the member's concatenations and renaming one-to-one transforms (imputing, indicating missing values)
    /// make, each with its inputs in order (ML.NET keeps both lists internal).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Inputs(ITransformer member)
    {
        var concatenated = typeof(ColumnConcatenatingTransformer).GetProperty("Columns", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        var paired = typeof(OneToOneTransformerBase).GetField("ColumnPairs", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        var inputs = new Dictionary<string, string[]>();
        foreach (var transformer in Flatten(member))
        {
            if (transformer is ColumnConcatenatingTransformer)
                foreach (var (output, columns) in (IEnumerable<(string, string[])>)concatenated.GetValue(transformer)!)
                    inputs[output] = columns;
            if (transformer is OneToOneTransformerBase)
                foreach (var (output, input) in ((string, string)[])paired.GetValue(transformer)!)
                    if (output != input) inputs[output] = [input];
        }
        return inputs;
    }

    /// <summary>One-versus-all's binary model per class, in class order (ML.NET keeps the list internal).</summary>
    public static IReadOnlyList<object> ClassModels(OneVersusAllModelParameters model)
    {
        var property = typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters",
            BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        return ((IEnumerable)property.GetValue(model)!).Cast<object>().ToList();
    }
}

/// <summary>A member's predictor, the random-feature map in front of it (kernel members only) and the vector they score.</summary>
internal sealed record ScoringHead(ISingleFeaturePredictionTransformer<object> Predictor, ITransformer? Map, string FeatureColumn)
{
    /// <summary>The first part of the member that scores the feature vector.</summary>
    public ITransformer First => Map ?? Predictor;
}
