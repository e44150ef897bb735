using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Humanizer;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>A model's columns by the names callers use for them: any case or separator style, singular or plural.</summary>
internal sealed partial class ColumnVocabulary
{
    // Built once per deployed schema, not per request.
    private static readonly ConditionalWeakTable<ModelSchema, ColumnVocabulary> Cache = new();

    private readonly Dictionary<string, ModelColumn> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);

    public ColumnVocabulary(ModelSchema schema)
    {
        Schema = schema;
        Label = schema.Label;
        Inputs = schema.Columns.Where(c => !IsLabel(c.Name)).ToArray();
        foreach (var column in Inputs)
        {
            _byKey.TryAdd(Key(column.Name), column);
            _byKey.TryAdd(Key(Singular(column.Name)), column);
        }
        // "Weight (kg)" is also "weight", unless another column is "weight" too.
        foreach (var bare in Inputs.GroupBy(c => Key(Bracketed().Replace(c.Name, ""))).Where(g => g.Key.Length > 0 && g.Count() == 1))
            _byKey.TryAdd(bare.Key, bare.Single());
        foreach (var name in schema.DroppedColumns ?? []) _dropped.Add(Key(name));
    }

    public static ColumnVocabulary For(ModelSchema schema) => Cache.GetValue(schema, s => new ColumnVocabulary(s));

    public ModelSchema Schema { get; }
    public string Label { get; }
    public IReadOnlyList<ModelColumn> Inputs { get; }

    public bool IsLabel(string name) => Key(name) == Key(Label);

    /// <summary>A column of the training file the model does not read: the label, or one dropped as constant or id-like.</summary>
    public bool IsUnusedTrainingColumn(string name) => IsLabel(name) || _dropped.Contains(Key(name));

    /// <summary>The column a caller's key means: exact, any case or separator style, singular/plural, or without a bracketed unit.</summary>
    public ModelColumn? Resolve(string key) =>
        _byKey.GetValueOrDefault(Key(key)) ?? _byKey.GetValueOrDefault(Key(Singular(key.Trim())));

    /// <summary>
    /// A key that names a column only at its end, split there: "predict the progression for age" is the key "age" after
    /// the prose "predict the progression for". A key that names a column (or nothing) as a whole stays whole.
    /// </summary>
    public (string Key, string Prose) SplitLeadingProse(string key)
    {
        if (Resolve(key) is not null || IsUnusedTrainingColumn(key)) return (key, "");
        var words = key.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < words.Length; i++)
        {
            var tail = string.Join(' ', words[i..]);
            if (Resolve(tail) is not null) return (tail, string.Join(' ', words[..i]));
        }
        return (key, "");
    }

    private static string Singular(string word) => word.Singularize(inputIsKnownToBePlural: false);

    /// <summary>"Unit Price", "unitPrice" and "unit_price" share the key "unitprice".</summary>
    private static string Key(string name) => NotLetterOrDigit().Replace(name, "").ToLowerInvariant();

    [GeneratedRegex(@"\([^)]*\)|\[[^\]]*\]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"[^\p{L}\p{N}]")]
    private static partial Regex NotLetterOrDigit();
}
