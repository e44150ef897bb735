using Microsoft.ML;
using Microsoft.ML.Data;

namespace Serverless.AutoMl.Data;

/// <summary>The prepared data of a work directory loaded into ML.NET, with the label in the learners' type.</summary>
internal sealed class PreparedData
{
    public const string LabelColumn = "Label";
    public const string FoldColumn = "Fold";
    public const string RowColumn = "Row";
    public static readonly string[] ExtraColumns = [LabelColumn, FoldColumn, RowColumn];

    private PreparedData(MLContext context, DatasetProfile profile, IDataView data, double[] labels)
    {
        Context = context;
        Profile = profile;
        Data = data;
        Labels = labels;
    }

    public MLContext Context { get; }
    public DatasetProfile Profile { get; }
    public IDataView Data { get; }
    /// <summary>Label per row: class index or value.</summary>
    public double[] Labels { get; }

    /// <summary>Prediction values per row: P(positive), one per class, or the value.</summary>
    public int Width => WidthOf(Profile);

    public static int WidthOf(DatasetProfile profile) => profile.Task == MlTask.Multiclass ? profile.Schema.Classes!.Count : 1;

    public static PreparedData Load(string workDir, MLContext context)
    {
        var profile = WorkDir.ReadProfile(workDir);
        var loader = context.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = ['\t'], HasHeader = true, AllowQuoting = false, MissingRealsAsNaNs = true,
            Columns = Columns(profile).ToArray(),
        });
        var data = loader.Load(WorkDir.DataPath(workDir));
        if (profile.Task == MlTask.Multiclass)
        {
            // A fixed class dictionary keeps key order = class index even when a fold lacks a class.
            var classes = context.Data.LoadFromEnumerable(
                Enumerable.Range(0, profile.Schema.Classes!.Count).Select(i => new ClassRow { Label = i }));
            data = context.Transforms.Conversion.MapValueToKey(LabelColumn, keyData: classes).Fit(data).Transform(data);
        }
        return new PreparedData(context, profile, context.Data.Cache(data), WorkDir.ReadDoubles(WorkDir.LabelsPath(workDir)));
    }

    private static IEnumerable<TextLoader.Column> Columns(DatasetProfile profile)
    {
        var index = 0;
        foreach (var feature in profile.Features)
            yield return new TextLoader.Column(feature.Name, feature.Kind == FeatureKind.Number ? DataKind.Single : DataKind.String, index++);
        yield return new TextLoader.Column(LabelColumn, profile.Task == MlTask.Binary ? DataKind.Boolean : DataKind.Single, index++);
        yield return new TextLoader.Column(FoldColumn, DataKind.Single, index++);
        yield return new TextLoader.Column(RowColumn, DataKind.Single, index);
    }

    /// <summary>Train and validation rows of a fold. With a holdout (Folds = 1), fold 0 validates.</summary>
    public (IDataView Train, IDataView Valid) Split(int fold) => (
        Context.Data.FilterByCustomPredicate<FoldRow>(Data, row => (int)row.Fold == fold),
        Context.Data.FilterRowsByColumn(Data, FoldColumn, fold, fold + 1));

    private sealed class ClassRow
    {
        public float Label { get; set; }
    }

    private sealed class FoldRow
    {
        public float Fold { get; set; }
    }
}
