using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>
/// Shapes found by probing the chain on datasets it was not built on: prose before key=value pairs, short names spelled
/// out as phrases ("blood pressure" for bp), a question naming the class it asks about, float training defaults; and
/// from the second probe, numbers nothing is said about (a person's age, a calendar year, a lone number), units a
/// column may not count in, spelled-out codes ("full board" for FB) and sex codes.
/// </summary>
[Collection(TrainedModels.Collection)]
public sealed partial class UnseenShapesTests(TrainedModels models)
{
    private static readonly ModelSchema Clinic = new()
    {
        Label = "progression",
        Task = MlTask.Regression,
        Columns =
        [
            Number("age", 19, 79), Number("sex", 1, 2), Number("bmi", 18, 42), Number("bp", 62, 133), Number("s1", 97, 301),
            Number("resting_hr", 40, 120), Number("gdp", 100, 90000), Number("fee", 0, 100),
            new ModelColumn { Name = "Smoker", Kind = ColumnKind.Boolean, Values = ["no", "yes"], Default = "no" },
            new ModelColumn { Name = "education", Kind = ColumnKind.Categorical, Values = ["High School", "Master", "PhD"], Default = "Master" },
        ],
    };

    [Theory]
    [InlineData("predict the disease progression for age=60, sex=2, bmi=22", "age=60 sex=2 bmi=22")]
    [InlineData("what is the progression for a smoker with bmi: 30, s1: 180?", "bmi=30 s1=180 Smoker=yes")]
    public async Task Key_value_pairs_after_prose_take_the_column_that_ends_the_key(string question, string expected)
    {
        var read = await ReadText(question);

        Assert.Equal(InputSource.KeyValue, read.Source);
        Assert.Equal(Parse(expected), RecordValidator.Validate(ColumnVocabulary.For(Clinic), read.Extraction.Values).Values
            .Where(v => expected.Contains(v.Key + "=", StringComparison.Ordinal)).ToDictionary());
    }

    [Theory]
    [InlineData("bmi: 30, blood pressure: 90", "bmi=30 bp=90")]        // a key that names no column
    [InlineData("age: 41 years, bmi: 30", "age=41 bmi=30")]            // a number with its unit
    [InlineData("age=41 bmi=30", "age=41 bmi=30")]                     // no separator between the pairs
    [InlineData("will someone with bmi=30 and smoker=yes progress?", "bmi=30 Smoker=yes")]
    [InlineData("a 35-year-old with BMI=31.5 and blood pressure of 88", "age=35 bmi=31.5 bp=88")]
    public async Task Key_value_text_that_is_not_a_plain_record_is_read_as_a_question(string text, string expected)
    {
        var read = await ReadText(text);

        Assert.Equal(InputSource.Question, read.Source);
        Assert.Equal(Parse(expected), read.Extraction.Values);
    }

    [Theory]
    [InlineData("a patient with high bmi (35) and low blood pressure (70)", "bmi=35 bp=70")]
    [InlineData("55 yo, bmi 30", "age=55 bmi=30")]
    [InlineData("a 58 y/o w/o smoking | bmi 24 | s1 180 | 40", "age=58 Smoker=no bmi=24 s1=180")]
    public void Brackets_pipes_and_short_forms_like_yo_read_as_people_write_them(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(question).Values);

    [Fact]
    public void A_key_may_leave_out_a_bracketed_unit_when_no_other_column_reads_the_same()
    {
        var schema = new ModelSchema
        {
            Label = "y", Task = MlTask.Regression,
            Columns = [Number("Weight (kg)", 30, 150), Number("Height [cm]", 140, 210), Number("Reach (cm)", 140, 210), Number("reach (in)", 55, 83)],
        };
        var vocabulary = ColumnVocabulary.For(schema);

        Assert.Equal("Weight (kg)", vocabulary.Resolve("weight")?.Name);
        Assert.Equal("Height [cm]", vocabulary.Resolve("Height")?.Name);
        Assert.Null(vocabulary.Resolve("reach"));
        Assert.Equal("reach (in)", vocabulary.Resolve("reach_in")?.Name);
    }

    [Fact]
    public void A_code_of_letters_and_digits_names_its_column_without_the_rest_of_the_name()
    {
        var air = new ModelSchema
        {
            Label = "aqi", Task = MlTask.Regression,
            Columns = [Number("pm25_mean_daily_concentration", 0, 300), Number("no2_hourly_peak_level", 0, 200), Number("wind_speed", 0, 30)],
        };

        Assert.Equal(Parse("pm25_mean_daily_concentration=40 no2_hourly_peak_level=12 wind_speed=5"),
            QuestionExtractor.For(ColumnVocabulary.For(air)).Extract("pm25 of 40, no2 12 and wind speed 5").Values);
    }

    [Fact]
    public void A_value_spelled_with_inner_capitals_is_one_word_and_the_label_written_as_one_word_is_not_reported()
    {
        var read = QuestionExtractor.For(ColumnVocabulary.For(Clinic with { Label = "DiseaseProgression" }))
            .Extract("someone with a PhD: what is the DiseaseProgression?");

        Assert.Equal(Parse("education=PhD"), read.Values);
        Assert.Empty(read.Ignored);
    }

    [Theory]
    [InlineData("a 60 year old with bmi 22 and average blood pressure 105", "age=60 bmi=22 bp=105")]
    [InlineData("blood pressure 90, age 45, body mass index 30", "bp=90 age=45 bmi=30")]
    [InlineData("resting heart rate 72 and gross domestic product of 5000", "resting_hr=72 gdp=5000")]
    public void A_phrase_whose_initials_spell_a_short_name_names_that_column(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(question).Values);

    [Theory]
    [InlineData("blood, pressure 90")]           // a separator inside
    [InlineData("fast email exchange 30")]       // "fee" is an ordinary word, not an initialism
    [InlineData("so he rode 90 miles")]          // "he rode" starts with a function word
    public void Initials_across_a_separator_or_of_an_ordinary_word_name_nothing(string question) =>
        Assert.Equal(new Dictionary<string, string?>(), Read(question).Values);

    [Fact]
    public void The_answer_gives_the_probability_of_another_class_the_question_names()
    {
        var schema = new ModelSchema { Label = "diagnosis", Task = MlTask.Binary, Classes = ["malignant", "benign"], Columns = [Number("mean radius", 6, 28)] };
        var benign = new Prediction { Label = "benign", Probabilities = new Dictionary<string, double> { ["malignant"] = 0.035, ["benign"] = 0.965 } };

        Assert.Equal("The model predicts diagnosis = benign with probability 0.965 (malignant: 0.035).",
            TemplateAnswer.Verdict(schema, benign, "How likely is a tumour with mean radius 12 to be malignant?"));
        Assert.Equal("The model predicts diagnosis = benign with probability 0.965.",
            TemplateAnswer.Verdict(schema, benign, "Is a tumour with mean radius 12 benign?"));
    }

    [Fact]
    public void Classes_that_read_as_yes_or_no_or_that_an_input_holds_are_not_taken_as_asked()
    {
        var schema = new ModelSchema
        {
            Label = "churn", Task = MlTask.Binary, Classes = ["No", "Yes"],
            Columns = [new ModelColumn { Name = "plan", Kind = ColumnKind.Categorical, Values = ["basic", "premium"], Default = "basic" }],
        };
        var tier = schema with { Label = "tier", Classes = ["basic", "gold"] };

        Assert.Empty(AskedClasses.In("yes or no: will a basic plan churn?", schema));
        Assert.Equal(["gold"], AskedClasses.In("is a basic plan customer gold?", tier));
    }

    [Fact]
    public async Task Training_defaults_read_as_the_shortest_decimals_of_their_floats()
    {
        var output = await new ChainRunner(new AnswerComposer(null, Microsoft.Extensions.Logging.Abstractions.NullLogger<AnswerComposer>.Instance),
                new QuestionReader(Options.Create(new ChainOptions())), Options.Create(new ChainOptions()))
            .RunAsync(models.Housing, ChainRequest.ForText("6 rooms per dwelling"), null, CancellationToken.None);

        Assert.NotEmpty(output.Assumed);
        foreach (var column in output.Assumed)
            Assert.Equal(Shortest(output.Inputs[column]!), output.Inputs[column]);
        Assert.All(output.Contributions.Factors, f => Assert.Equal(Shortest(f.Value!), f.Value));
        Assert.DoesNotMatch(FloatNoise(), output.Answer);
    }

    [Theory]
    [InlineData("13.050000190734863", "13.05")]
    [InlineData("0.03350000083446503", "0.0335")]
    [InlineData("2.7799999713897705", "2.78")]
    [InlineData("0.1", "0.1")]                   // a double that no float is keeps its digits
    [InlineData("1484705", "1484705")]
    [InlineData("Month-to-month", "Month-to-month")]
    public void Numbers_older_packages_stored_from_floats_read_as_their_shortest_decimals(string stored, string read) =>
        Assert.Equal(read, SinglePrecision.Tidy(stored));

    [Fact]
    public void A_schema_read_from_an_older_package_gets_its_numeric_defaults_and_ranges_tidied()
    {
        var stored = new ModelSchema
        {
            Label = "y", Task = MlTask.Regression,
            Columns =
            [
                new ModelColumn { Name = "x", Kind = ColumnKind.Numeric, Default = "13.050000190734863", Min = 11.029999732971191, Max = 14.829999923706055 },
                new ModelColumn { Name = "code", Kind = ColumnKind.Categorical, Values = ["0.30000001192092896"], Default = "0.30000001192092896" },
            ],
        };

        var tidy = SinglePrecision.Tidy(stored);

        Assert.Equal(("13.05", 11.03, 14.83), (tidy.Columns[0].Default, tidy.Columns[0].Min, tidy.Columns[0].Max));
        Assert.Equal(stored.Columns[1], tidy.Columns[1]); // a category is text, as training spelled it
    }

    private static readonly ModelSchema Stays = new()
    {
        Label = "canceled",
        Task = MlTask.Binary,
        Classes = ["0", "1"],
        Columns =
        [
            Number("age", 18, 64), Number("model_year", 2005, 2023), Number("odometer_km", 1000, 250000), Number("lead_time", 0, 400),
            Number("stays_in_week_nights", 0, 10), Number("NumBedrooms", 1, 5), Number("engine_l", 1, 5), Number("previous_cancellations", 0, 3),
            Number("num_owners", 1, 5),
            new ModelColumn { Name = "meal", Kind = ColumnKind.Categorical, Values = ["BB", "FB", "SC", "HB"], Default = "BB" },
            new ModelColumn { Name = "segment", Kind = ColumnKind.Categorical, Values = ["Online-TA", "Offline-TA/TO", "Direct"], Default = "Direct" },
            new ModelColumn { Name = "month", Kind = ColumnKind.Categorical, Values = ["January", "October"], Default = "January" },
            new ModelColumn { Name = "region", Kind = ColumnKind.Categorical, Values = ["southwest", "northeast"], Default = "northeast" },
            new ModelColumn { Name = "model", Kind = ColumnKind.Categorical, Values = ["F-150", "3 Series", "X5"], Default = "X5" },
        ],
    };

    [Theory]
    [InlineData("female, 28, 2 bedrooms", "age=28 NumBedrooms=2")]
    [InlineData("someone who is 40", "age=40")]
    [InlineData("my wife is 39, she wants 3 bedrooms", "age=39 NumBedrooms=3")]
    [InlineData("I'm 23", "age=23")]
    [InlineData("a man in his mid-30s", "age=35")]
    public void A_bare_number_said_of_a_person_is_an_age(string question, string expected) =>
        Assert.Equal(Parse(expected), QuestionExtractor.For(ColumnVocabulary.For(Stays)).Extract(question).Values);

    [Theory]
    [InlineData("female, 2 kids")]          // a count of something else
    [InlineData("she is 40 km away")]      // a unit says what it is
    [InlineData("a man 3 times")]
    public void A_number_beside_a_person_that_says_what_it_counts_is_no_age(string question) =>
        Assert.DoesNotContain("age", QuestionExtractor.For(ColumnVocabulary.For(Stays)).Extract(question).Values.Keys);

    [Theory]
    [InlineData("a 2015 with 90,000 km", "model_year=2015 odometer_km=90000")]
    [InlineData("15 000 km, 2021", "odometer_km=15000 model_year=2021")]
    [InlineData("4 bed, 3.0 litre", "NumBedrooms=4 engine_l=3")]
    [InlineData("cancelled 2 times, booked 200 days ahead", "lead_time=200")]
    [InlineData("full board, through an offline travel agent in Oct", "meal=FB segment=Offline-TA/TO month=October")]
    [InlineData("a high blood pressure guest, self catering", "meal=SC")]   // "high blood" of a longer phrase spells no HB
    [InlineData("an F-150 from the south west, 5 week nights", "model=F-150 region=southwest stays_in_week_nights=5")]
    [InlineData("3 former owners", "num_owners=3")]   // a number before what is counted says the name's "num"
    public void Years_spaced_thousands_clipped_words_and_spelled_out_codes_read_as_people_write_them(string question, string expected) =>
        Assert.Equal(Parse(expected), QuestionExtractor.For(ColumnVocabulary.For(Stays)).Extract(question).Values
            .Where(v => v.Key != "previous_cancellations").ToDictionary());

    [Theory]
    [InlineData("a girl", "F")]
    [InlineData("male student", "M")]
    [InlineData("F, 30 hours", "F")]
    public void Sex_codes_are_named_by_the_words_they_stand_for(string question, string expected)
    {
        var schema = new ModelSchema
        {
            Label = "grade", Task = MlTask.Regression,
            Columns = [new ModelColumn { Name = "Gender", Kind = ColumnKind.Categorical, Values = ["F", "M"], Default = "F" }, Number("hours", 0, 40)],
        };

        Assert.Equal(expected, QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question).Values["Gender"]);
    }

    [Theory]
    [InlineData("a man, a woman")]             // M of a size, not of a sex
    [InlineData("10 hrs a week")]              // "hrs" spells the code HR only as typed
    public void Letter_codes_of_other_columns_are_not_spelled_out(string question)
    {
        var schema = new ModelSchema
        {
            Label = "y", Task = MlTask.Regression,
            Columns =
            [
                new ModelColumn { Name = "size", Kind = ColumnKind.Categorical, Values = ["S", "M", "L"], Default = "M" },
                new ModelColumn { Name = "dept", Kind = ColumnKind.Categorical, Values = ["HR", "Sales"], Default = "Sales" },
            ],
        };

        Assert.Empty(QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question).Values);
    }

    [Theory]
    [InlineData("staying at the resort", "hotel=Resort Hotel")]
    [InlineData("city hotel, no special requests", "hotel=City Hotel")]   // "no" alone is no "No Deposit"
    [InlineData("no deposit", "deposit_type=No Deposit")]
    public void A_value_may_leave_out_the_words_of_its_column_name(string question, string expected)
    {
        var schema = new ModelSchema
        {
            Label = "canceled", Task = MlTask.Binary, Classes = ["0", "1"],
            Columns =
            [
                new ModelColumn { Name = "hotel", Kind = ColumnKind.Categorical, Values = ["Resort Hotel", "City Hotel"], Default = "City Hotel" },
                new ModelColumn { Name = "deposit_type", Kind = ColumnKind.Categorical, Values = ["No Deposit", "Non Refund", "Refundable"], Default = "No Deposit" },
            ],
        };

        Assert.Equal(expected, string.Join(' ', QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question).Values.Select(v => $"{v.Key}={v.Value}")));
    }

    [Theory]
    [InlineData("price 2000?")]       // the label's value, asked about
    [InlineData("lot of 2000")]       // another number column's word beside it
    public void A_year_beside_words_naming_another_number_goes_nowhere_by_itself(string question)
    {
        var homes = new ModelSchema { Label = "SalePrice", Task = MlTask.Regression, Columns = [Number("YearBuilt", 1950, 2021), Number("Lot Size (acres)", 0.05, 2)] };

        Assert.DoesNotContain("YearBuilt", QuestionExtractor.For(ColumnVocabulary.For(homes)).Extract(question).Values.Keys);
    }

    [Fact]
    public void A_year_goes_nowhere_when_two_columns_hold_years()
    {
        var schema = Stays with { Columns = [.. Stays.Columns, Number("year_built", 1950, 2021)] };

        Assert.Empty(QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract("a 2015 house").Values);
    }

    [Theory]
    [InlineData("booked 2 weeks ahead")]     // 2 in weeks, 14 in days: the column does not say
    [InlineData("5 week nights")]            // "week" there says which nights
    public void A_number_in_a_unit_the_column_may_not_count_in_is_left_out(string question) =>
        Assert.DoesNotContain("lead_time", QuestionExtractor.For(ColumnVocabulary.For(Stays)).Extract(question).Values.Keys);

    private static readonly ModelSchema Tenure = new()
    {
        Label = "churn", Task = MlTask.Binary, Classes = ["No", "Yes"],
        Columns = [Number("tenure", 0, 72), new ModelColumn { Name = "contract", Kind = ColumnKind.Categorical, Values = ["month-to-month", "two year"], Default = "two year" }],
    };

    [Theory]
    [InlineData("month-to-month, fiber, 12?", "tenure=12 contract=month-to-month")]
    [InlineData("12, month-to-month", "tenure=12 contract=month-to-month")]
    public void A_number_standing_alone_goes_to_the_one_number_column(string question, string expected) =>
        Assert.Equal(Parse(expected), QuestionExtractor.For(ColumnVocabulary.For(Tenure)).Extract(question).Values);

    [Theory]
    [InlineData("fiber, 12, 30")]         // two numbers alone for one number column: neither is sure
    [InlineData("a loan of 12")]          // words about the number that name nothing
    [InlineData("2 kids")]
    public void A_number_with_words_about_it_or_beside_another_lone_number_goes_nowhere(string question) =>
        Assert.Empty(QuestionExtractor.For(ColumnVocabulary.For(Tenure)).Extract(question).Values);

    private static string Shortest(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? SinglePrecision.Format((float)number)
            : value;

    private static Task<ReadQuestion> ReadText(string text) =>
        new QuestionReader(Options.Create(new ChainOptions())).ReadAsync(Clinic, text, CancellationToken.None);

    private static QuestionExtraction Read(string question) => QuestionExtractor.For(ColumnVocabulary.For(Clinic)).Extract(question);

    /// <summary>"a=1 b=2" → {a: 1, b: 2}.</summary>
    private static Dictionary<string, string?> Parse(string expected) =>
        expected.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => (string?)p[1]);

    private static ModelColumn Number(string name, double min, double max) =>
        new() { Name = name, Kind = ColumnKind.Numeric, Min = min, Max = max, Default = ((min + max) / 2).ToString(CultureInfo.InvariantCulture) };

    [GeneratedRegex(@"\d\.\d{8,}")]
    private static partial Regex FloatNoise();
}
