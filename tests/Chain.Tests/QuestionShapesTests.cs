using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>
/// The shapes questions come in, on a made-up schema the reader has never seen: numbers on either side of their
/// column words, lists, multi-word names side by side, inflected values, word numbers, units, negations, ranges.
/// </summary>
public sealed class QuestionShapesTests
{
    private static readonly ModelSchema Schema = new()
    {
        Label = "default_risk",
        Task = MlTask.Binary,
        Classes = ["low", "high"],
        Columns =
        [
            Number("loan_amount", 250, 20000), Number("duration_months", 4, 72), Number("age", 19, 75),
            Number("monthlyIncome", 500, 20000), Number("savings", 0, 1000), Number("job_satisfaction", 1, 4),
            Number("commute_distance_km", 0, 50), Number("minute", 0, 95), Flag("has_guarantor"),
            Category("personal_status", "male single", "female divorced", "male married"),
            Category("smoking", "smokes", "never smoked", "formerly smoked"),
            Category("salary", "low", "medium", "high"),
            new ModelColumn { Name = "OverTime", Kind = ColumnKind.Boolean, Values = ["No", "Yes"], Default = "No" },
        ],
        DroppedColumns = ["applicant_id"],
    };

    [Theory]
    [InlineData("a loan of 3000 over 36 months", "loan_amount=3000 duration_months=36")]
    [InlineData("700 loan amount", "loan_amount=700")]
    [InlineData("loan amount of 700 for 12 months", "loan_amount=700 duration_months=12")]
    [InlineData("income 500, savings 20, age 41", "monthlyIncome=500 savings=20 age=41")]
    [InlineData("500 income, 20 savings, 41 age", "monthlyIncome=500 savings=20 age=41")]
    [InlineData("monthly income 5000 loan amount 700", "monthlyIncome=5000 loan_amount=700")]
    [InlineData("aged 61", "age=61")]
    [InlineData("a 61 years old borrower", "age=61")]
    [InlineData("at minute 40", "minute=40")]
    [InlineData("satisfaction 2, commutes 10 kilometres", "job_satisfaction=2 commute_distance_km=10")]
    public void Binds_numbers_to_the_column_words_beside_them(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(question).Values);

    [Theory]
    [InlineData("a loan of five thousand for two years", "loan_amount=5000 duration_months=24")]
    [InlineData("twenty five years old", "age=25")]
    [InlineData("a dozen months", "duration_months=12")]
    [InlineData("repaid over half a year", "duration_months=6")]
    [InlineData("a loan for two years", "duration_months=24")]
    [InlineData("commutes 3 miles", "commute_distance_km=4.828032")]
    public void Reads_word_numbers_and_converts_units_into_the_column_unit(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(question).Values);

    [Theory]
    [InlineData("a married man who is a smoker", "personal_status=male married smoking=smokes")]
    [InlineData("single male, smoking", "personal_status=male single smoking=smokes")]
    [InlineData("never smoked, divorced woman", "smoking=never smoked personal_status=female divorced")]
    [InlineData("works overtime", "OverTime=Yes")]
    [InlineData("doesn't work overtime", "OverTime=No")]
    [InlineData("no overtime and a guarantor", "OverTime=No has_guarantor=1")]
    [InlineData("without a guarantor", "has_guarantor=0")]
    public void Matches_values_by_their_words_in_any_order_and_flags_by_name(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(question).Values);

    [Theory]
    [InlineData("salary high")]
    [InlineData("high salary")]
    public void A_value_several_columns_could_hold_goes_to_the_column_named_beside_it(string question) =>
        Assert.Equal("high", Read(question).Values["salary"]);

    [Fact]
    public void A_number_far_outside_every_range_is_not_placed_and_a_flag_takes_no_number()
    {
        var read = Read("guarantor 80");

        Assert.Empty(read.Values);
        Assert.Equal(["guarantor 80"], read.Ignored);
    }

    [Fact]
    public void Reports_what_it_could_not_use_and_not_what_it_did()
    {
        var read = Read("would an applicant aged 41 who walks the dog default? savings 20");

        Assert.Equal(Parse("age=41 savings=20"), read.Values);
        Assert.Equal(["walks the dog"], read.Ignored);
    }

    [Fact]
    public void Reads_only_the_first_characters_of_a_long_question_and_says_so()
    {
        var question = "age 41 " + string.Concat(Enumerable.Repeat("and so on ", 100_000)) + "savings 20";

        var read = QuestionExtractor.For(ColumnVocabulary.For(Schema)).Extract(question, maxChars: 2000);

        Assert.Equal(Parse("age=41"), read.Values);
        Assert.Contains(read.Warnings, w => w.Contains("first", StringComparison.Ordinal));
    }

    [Fact]
    public void Stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            QuestionExtractor.For(ColumnVocabulary.For(Schema)).Extract("age 41", int.MaxValue, cancelled.Token));
    }

    [Fact]
    public void A_record_may_carry_every_training_column_and_only_names_the_file_never_had_are_refused()
    {
        var vocabulary = ColumnVocabulary.For(Schema);

        var record = RecordValidator.Validate(vocabulary, new Dictionary<string, string?>
        {
            ["age"] = "41", ["default_risk"] = "low", ["Applicant ID"] = "A-17", ["smoking"] = "SMOKES",
        });

        Assert.Equal(["default_risk", "Applicant ID"], record.Ignored);
        Assert.Equal("smokes", record.Values["smoking"]); // as training spelled it
        var error = Assert.Throws<InvalidRecordException>(() =>
            RecordValidator.Validate(vocabulary, new Dictionary<string, string?> { ["shoe_size"] = "9" }));
        Assert.Equal(["shoe_size"], error.Fields);
    }

    [Fact]
    public void Warns_about_numbers_outside_the_training_range_and_values_training_never_saw()
    {
        var record = RecordValidator.Validate(ColumnVocabulary.For(Schema), new Dictionary<string, string?>
        {
            ["age"] = "150", ["savings"] = "1050", ["smoking"] = "vapes",
        });

        Assert.Equal(2, record.Warnings.Count); // 1050 is within the margin of savings' range
        Assert.Contains(record.Warnings, w => w.StartsWith("age = 150 is outside the range seen in training (19 to 75)", StringComparison.Ordinal));
        Assert.Contains(record.Warnings, w => w.StartsWith("smoking = \"vapes\" was not seen in training", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("will an amount of 120 ordered on 14/06/2025 arrive late?", null, "order_date=2025-06-14 amount=120")]
    [InlineData("amount 120 ordered on 06/14/2025", DateOrder.MonthFirst, "order_date=2025-06-14 amount=120")]
    [InlineData("an order on 03/04/2025 with an amount of 80", DateOrder.DayFirst, "order_date=2025-04-03 amount=80")]
    [InlineData("ordered 2025-04-03, amount 80", DateOrder.MonthFirst, "order_date=2025-04-03 amount=80")]
    [InlineData("ordered on June 14th, 2025 for an amount of 80", null, "order_date=2025-06-14 amount=80")]
    [InlineData("amount 80, ordered 3 March 2025", null, "amount=80 order_date=2025-03-03")]
    public void A_date_goes_to_the_date_column_in_its_order_and_its_numbers_to_no_other(string question, DateOrder? order, string expected)
    {
        var schema = new ModelSchema
        {
            Label = "late", Task = MlTask.Binary, Classes = ["no", "yes"],
            Columns = [new ModelColumn { Name = "order_date", Kind = ColumnKind.DateTime, DateOrder = order ?? DateOrder.DayFirst, Default = "2024-01-01" }, Number("amount", 1, 500)],
        };
        Assert.Equal(Parse(expected), QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question).Values);
    }

    [Fact]
    public void With_several_date_columns_a_date_goes_to_the_one_named_before_it()
    {
        var schema = new ModelSchema
        {
            Label = "churned", Task = MlTask.Binary, Classes = ["no", "yes"],
            Columns =
            [
                new ModelColumn { Name = "signup_date", Kind = ColumnKind.DateTime, Default = "2024-01-01" },
                new ModelColumn { Name = "last_login", Kind = ColumnKind.DateTime, Default = "2024-06-01" },
            ],
        };
        var values = QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract("signed up 2024-02-01 with the last login on 2024-09-30").Values;
        Assert.Equal(new Dictionary<string, string?> { ["last_login"] = "2024-09-30" }, values.Where(v => v.Key == "last_login").ToDictionary());
        Assert.DoesNotContain("signup_date", values.Keys);
    }

    private static QuestionExtraction Read(string question) => QuestionExtractor.For(ColumnVocabulary.For(Schema)).Extract(question);

    /// <summary>"a=1 b=two words c=3" → {a: 1, b: two words, c: 3}.</summary>
    private static Dictionary<string, string?> Parse(string expected)
    {
        var values = new Dictionary<string, string?>();
        string? key = null;
        foreach (var part in expected.Split(' '))
        {
            if (part.Split('=') is [var name, var value]) values[key = name] = value;
            else values[key!] += " " + part;
        }
        return values;
    }

    private static ModelColumn Number(string name, double min, double max) =>
        new() { Name = name, Kind = ColumnKind.Numeric, Min = min, Max = max, Default = ((min + max) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static ModelColumn Flag(string name) => new() { Name = name, Kind = ColumnKind.Numeric, Min = 0, Max = 1, Default = "0" };

    private static ModelColumn Category(string name, params string[] values) =>
        new() { Name = name, Kind = ColumnKind.Categorical, Values = values, Default = values[0] };
}
