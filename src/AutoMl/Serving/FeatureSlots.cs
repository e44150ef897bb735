using Microsoft.ML;
using Microsoft.ML.Data;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Serving;

/// <summary>
/// Which input column each slot of a member's feature vector comes from, and which words a text slot counts. The
/// vector concatenates parts (see the training's FeaturePipeline): a part named after one prepared feature
/// ("{feature}__…": one-hot, hashed, n-gram slots, a category's frequency or target encoding) is all that feature's;
/// the others are traced back through the transforms that concatenate or rename them to the vector of numbers or of
/// numbers with missing values (TableView's Numbers and Missable; older models concatenate a column per number), which
/// has one slot per prepared feature, in order. Each prepared feature names its source column.
/// </summary>
internal sealed class FeatureSlots
{
    /// <summary>
    /// How the text featurizer names a word n-gram's slot when it also counts character n-grams ("Word.w1|w2" beside
    /// "Char.…"); counting words only, it names the slot "w1|w2". The text is lower-cased, so no word reads like either.
    /// </summary>
    private const string WordSlotPrefix = "Word.";
    private const string CharSlotPrefix = "Char.";

    private FeatureSlots(int[] columns, string?[] words)
    {
        Columns = columns;
        Words = words;
    }

    /// <summary>The schema column (index into ModelSchema.Columns) each slot belongs to.</summary>
    public int[] Columns { get; }

    /// <summary>The words a text column's word n-gram slot counts ("two words"); null for any other slot.</summary>
    public string?[] Words { get; }

    public int Count => Columns.Length;

    public static FeatureSlots Of(ITransformer member, DataViewSchema inputSchema, string featureColumn, DatasetProfile profile)
    {
        var inputs = PredictorParts.Inputs(member);
        var output = member.GetOutputSchema(inputSchema);
        var features = profile.Features.ToDictionary(f => f.Name);
        IEnumerable<FeatureColumn> Sources(string column)
        {
            if (features.TryGetValue(column, out var feature)) return [feature];
            // A part named after one prepared feature is all that feature's, whatever transforms made it.
            if (profile.Features.FirstOrDefault(f => column.StartsWith(f.Name + "__", StringComparison.Ordinal)) is { } owner)
                return Enumerable.Repeat(owner, Width(output[column]));
            if (inputs.TryGetValue(column, out var parts)) return parts.SelectMany(Sources);
            if (column is TableView.NumbersColumn or TableView.MissableColumn) return TableView.Slots(profile, column).Select(f => profile.Features[f]);
            throw new InvalidOperationException($"No input column is known for the features in '{column}'.");
        }

        var sources = Sources(featureColumn).ToList();
        var vector = output[featureColumn];
        if (sources.Count != Width(vector))
            throw new InvalidOperationException($"'{featureColumn}' has {Width(vector)} slots but its parts {sources.Count}.");
        var columnIndex = profile.Schema.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return new FeatureSlots(
            sources.Select(f => columnIndex[f.Source]).ToArray(),
            WordsOf(vector, sources));
    }

    private static int Width(DataViewSchema.Column column) => column.Type is VectorDataViewType vector ? vector.Size : 1;

    private static string?[] WordsOf(DataViewSchema.Column vector, List<FeatureColumn> sources)
    {
        var words = new string?[sources.Count];
        if (!vector.HasSlotNames()) return words;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        vector.GetSlotNames(ref names);
        var i = 0;
        foreach (var name in names.DenseValues())
        {
            // Slot names read "{part}.{slot}", the text featurizer's slot being "Word.w1|w2", "Char.…" or "w1|w2".
            var slot = name.Span[(name.Span.IndexOf('.') + 1)..];
            if (sources[i].Kind == FeatureKind.Text && !slot.StartsWith(CharSlotPrefix))
                words[i] = (slot.StartsWith(WordSlotPrefix) ? slot[WordSlotPrefix.Length..] : slot).ToString().Replace('|', ' ');
            i++;
        }
        return words;
    }
}
