using Serverless.AutoMl.Data;
namespace Serverless.AutoMl.Tests;

public sealed class InferenceTests
{
    private static DatasetProfile Prepare(string path, TrainingSpec? spec = null)
    {
        using var dir = new TempDir();
        return new AutoMlEngine().Prepare(path, spec ?? new TrainingSpec(), dir.Path);
    }

    private static ColumnProfile Column(DatasetProfile profile, string name) => profile.Columns.Single(c => c.Name == name);

    [Fact]
    public void Headerless_file_gets_numbered_columns_and_last_column_as_label()
    {
        var profile = Prepare(TestFiles.Data("optdigits-noheader.csv"));
        Assert.False(profile.HasHeader);
        Assert.Equal(",", profile.Separator);
        Assert.Equal("Column65", profile.Label);
        Assert.Equal(MlTask.Multiclass, profile.Task);
        Assert.Equal("microAccuracy", profile.Metric);
        Assert.Equal(300, profile.Rows);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), profile.Schema.Classes);
        var constant = Column(profile, "Column1");
        Assert.True(constant.Dropped);
        Assert.Equal("constant", constant.DropReason);
        Assert.Equal(ColumnKind.Numeric, Column(profile, "Column20").Kind);
    }

    [Fact]
    public void Semicolon_file_with_byte_order_mark_is_read_as_numbers()
    {
        var profile = Prepare(TestFiles.Data("heart-semicolon-bom.csv"));
        Assert.Equal(";", profile.Separator);
        Assert.False(profile.HasHeader);
        Assert.Equal("Column14", profile.Label);
        Assert.Equal(MlTask.Binary, profile.Task);
        Assert.Equal("auc", profile.Metric);
        // A byte-order mark left in the first cell would make Column1 text instead of numeric.
        Assert.Equal(ColumnKind.Numeric, Column(profile, "Column1").Kind);
        Assert.Equal(["0", "1"], profile.Schema.Classes);
    }

    [Fact]
    public void Tab_separated_regression_with_requested_label_and_metric()
    {
        var profile = Prepare(TestFiles.Data("housing.tsv"), new TrainingSpec { Label = "medianhomevalue", Metric = "MAE" });
        Assert.Equal("\t", profile.Separator);
        Assert.True(profile.HasHeader);
        Assert.Equal("MedianHomeValue", profile.Label);
        Assert.Equal(MlTask.Regression, profile.Task);
        Assert.Equal("mae", profile.Metric);
        Assert.Equal(13, profile.Schema.Columns.Count);
    }

    [Fact]
    public void Free_text_and_boolean_columns_are_recognised()
    {
        var profile = Prepare(TestFiles.Data("wikipedia-detox.tsv"), new TrainingSpec { Label = "Sentiment" });
        Assert.Equal(MlTask.Binary, profile.Task);
        Assert.Equal(ColumnKind.Text, Column(profile, "SentimentText").Kind);
        Assert.Equal(ColumnKind.Boolean, Column(profile, "LoggedIn").Kind);
        Assert.Contains(profile.Features, f => f.Source == "SentimentText" && f.Kind == FeatureKind.Text);
    }

    [Fact]
    public void Missing_values_are_measured_and_defaults_recorded()
    {
        var penguins = Prepare(TestFiles.Data("penguins.csv"), new TrainingSpec { Label = "species" });
        Assert.Equal(MlTask.Multiclass, penguins.Task);
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], penguins.Schema.Classes);
        Assert.True(Column(penguins, "sex").MissingRatio > 0);
        Assert.Equal(ColumnKind.Categorical, Column(penguins, "island").Kind);
        var bill = penguins.Schema.Columns.Single(c => c.Name == "bill_length_mm");
        Assert.Equal(ColumnKind.Numeric, bill.Kind);
        Assert.True(bill.Min < bill.Max);
        Assert.NotNull(bill.Default);

        var adult = Prepare(TestFiles.Data("adult.csv"));
        Assert.Equal("over50k", adult.Label);
        Assert.Equal(MlTask.Binary, adult.Task);
        Assert.True(Column(adult, "workclass").MissingRatio > 0, "'?' counts as missing");
        Assert.Equal(ColumnKind.Categorical, Column(adult, "workclass").Kind);
    }

    [Fact]
    public void Quoted_newlines_ids_dates_and_named_label_column()
    {
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 40).Select(i =>
            $"{1000 + i},2024-0{1 + i % 9}-1{i % 10} 0{i % 10}:30,\"line one, with comma\nline two {i % 3}\",{i % 7}.5,{(i % 3 == 0 ? "yes" : "no")},{i % 4}");
        var path = dir.Write("shapes.csv", "customer_id,signup,comment,amount,target,segment\n" + string.Join("\n", rows) + "\n");
        var profile = Prepare(path);
        Assert.Equal(40, profile.Rows);
        Assert.Equal("target", profile.Label);
        Assert.Equal(MlTask.Binary, profile.Task);
        Assert.Equal(["no", "yes"], profile.Schema.Classes);
        Assert.StartsWith("id-like", Column(profile, "customer_id").DropReason);
        Assert.Equal(ColumnKind.DateTime, Column(profile, "signup").Kind);
        Assert.Equal(["year", "month", "day", "dayofweek", "dayofyear", "ordinal", "hour"],
            profile.Features.Where(f => f.Source == "signup").Select(f => f.Part));
        Assert.Equal(3, Column(profile, "comment").Distinct);
    }

    [Fact]
    public void A_day_first_date_column_is_a_date_read_day_first_in_training_and_serving()
    {
        using var dir = new TempDir();
        var start = new DateTime(2023, 1, 1);
        var rows = Enumerable.Range(0, 60).Select(i => $"{start.AddDays(5 * i):dd/MM/yyyy},{i % 7}.5,{(i % 3 == 0 ? "yes" : "no")}");
        var profile = Prepare(dir.Write("orders.csv", "ordered,amount,target\n" + string.Join("\n", rows) + "\n"));

        var ordered = Column(profile, "ordered");
        Assert.Equal(ColumnKind.DateTime, ordered.Kind);
        var column = profile.Schema.Columns.Single(c => c.Name == "ordered");
        Assert.Equal(DateOrder.DayFirst, column.DateOrder);
        Assert.Equal(0, ordered.MissingRatio);

        // A served record's date is read the same way: 03/04/2023 is the 3rd of April; ISO dates still read.
        var encoder = new RowEncoder(profile.Schema.Columns, profile.Features);
        var month = profile.Features.Select((f, i) => (f, i)).Single(x => x.f.Source == "ordered" && x.f.Part == "month").i;
        Assert.Equal(4f, encoder.Encode(name => name == "ordered" ? "03/04/2023" : null, strict: true)[month]);
        Assert.Equal(4f, encoder.Encode(name => name == "ordered" ? "2023-04-03" : null, strict: true)[month]);
    }

    [Theory]
    [InlineData(120, 1)]
    [InlineData(30, 7)]
    public void Search_settings_come_from_the_spec_with_defaults(int budget, int seed)
    {
        var spec = budget == 120 ? new TrainingSpec() : new TrainingSpec { BudgetSeconds = budget, Seed = seed, ParallelTrials = 3 };
        var profile = Prepare(TestFiles.Data("heart-semicolon-bom.csv"), spec);
        Assert.Equal(budget, profile.BudgetSeconds);
        Assert.Equal(seed, profile.Seed);
        // As asked, but never more trials at once than cores.
        Assert.Equal(Math.Min(spec.ParallelTrials ?? Environment.ProcessorCount, Environment.ProcessorCount), profile.ParallelTrials);
    }
}
