using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Humanizer;
using Serverless.AutoMl;

namespace Serverless.Chain;

/// <summary>How people name a model's input columns: the words of each name, their variants and a few synonyms.</summary>
internal sealed partial class ColumnVocabulary
{
    public const double ExactWeight = 1.0;
    public const double SynonymWeight = 0.6;
    /// <summary>"month" for "monthly" is weaker evidence than the word itself.</summary>
    public const double StemWeight = 0.5;

    // Words too common to say anything about a column ("is_active", "number_of_rooms").
    private static readonly HashSet<string> StopWords =
        ["a", "an", "the", "of", "in", "on", "at", "to", "is", "has", "have", "num", "number", "no", "yes", "and", "or", "per", "by"];

    // Applied only to a column whose name contains the key word, so "months" means tenure only where a tenure column exists.
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["charge"] = ["pay", "paying", "pays", "paid", "cost", "costs", "price", "bill", "fee", "spend", "spends"],
        ["cost"] = ["pay", "paying", "pays", "paid", "price", "charge"],
        ["price"] = ["cost", "costs", "pay", "paying", "paid"],
        ["fare"] = ["cost", "costs", "price", "pay", "paying", "paid"],
        ["tenure"] = ["month", "year", "long"],
        ["age"] = ["old", "year", "aged"],
        ["income"] = ["earn", "earns", "earning", "make", "makes", "salary"],
        ["distance"] = ["mile", "km", "far"],
    };

    // Built once per deployed schema, not per request.
    private static readonly ConditionalWeakTable<ModelSchema, ColumnVocabulary> Cache = new();

    private readonly Dictionary<string, ModelColumn> _byKey = new(StringComparer.Ordinal);

    public ColumnVocabulary(ModelSchema schema)
    {
        Label = schema.Label;
        Inputs = schema.Columns.Where(c => !IsLabel(c.Name)).ToArray();
        foreach (var column in Inputs)
        {
            _byKey.TryAdd(Key(column.Name), column);
            _byKey.TryAdd(Key(column.Name.Singularize(inputIsKnownToBePlural: false)), column);
        }
        Words = Inputs.ToDictionary(c => c.Name, c => (IReadOnlyList<string>)NameWords(c.Name));
    }

    public static ColumnVocabulary For(ModelSchema schema) => Cache.GetValue(schema, s => new ColumnVocabulary(s));

    public string Label { get; }
    public IReadOnlyList<ModelColumn> Inputs { get; }
    /// <summary>The meaningful words of each input column's name, singular and lower case.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Words { get; }

    public bool IsLabel(string name) => Key(name) == Key(Label);

    /// <summary>The column a caller's key means: exact, any case or separator style, or singular/plural.</summary>
    public ModelColumn? Resolve(string key) =>
        _byKey.GetValueOrDefault(Key(key)) ?? _byKey.GetValueOrDefault(Key(key.Trim().Singularize(inputIsKnownToBePlural: false)));

    /// <summary>How strongly a word of the text (in its singular form) names a column word: 0 when it does not.</summary>
    public static double Match(string singular, string columnWord)
    {
        if (singular == columnWord) return ExactWeight;
        if (Synonyms.TryGetValue(columnWord, out var synonyms) && synonyms.Contains(singular)) return SynonymWeight;
        return columnWord.EndsWith("ly", StringComparison.Ordinal) && columnWord[..^2] == singular ? StemWeight : 0;
    }

    public static string Singular(string word) =>
        word.Length > 3 ? word.Singularize(inputIsKnownToBePlural: false) : word;

    private static List<string> NameWords(string name) =>
        name.Humanize(LetterCasing.LowerCase).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !StopWords.Contains(w)).Select(Singular).Distinct().ToList();

    /// <summary>"Monthly Charges", "monthlyCharges" and "monthly_charges" share the key "monthlycharges".</summary>
    private static string Key(string name) => NotLetterOrDigit().Replace(name, "").ToLowerInvariant();

    [GeneratedRegex(@"[^\p{L}\p{N}]")]
    private static partial Regex NotLetterOrDigit();
}
