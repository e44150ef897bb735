using System.Text.RegularExpressions;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>
/// The forms values take in training files, on a made-up schema: categories that are numbers or ranges ("term_36",
/// "1&lt;=X&lt;4", "emp_ge_10"), slashes between alternatives ("male mar/wid"), compound names ("workingday", "hum"),
/// fractions between 0 and 1 that are no yes/no column, clock times, and an age next to a duration.
/// </summary>
public sealed partial class ValueFormsTests
{
    private static readonly ModelSchema Schema = new()
    {
        Label = "outcome",
        Task = MlTask.Binary,
        Classes = ["good", "bad"],
        Columns =
        [
            Category("term", "term_36", "term_60"),
            Category("savings_status", "<100", "100<=X<500", "500<=X<1000", ">=1000", "no known savings"),
            Category("emp_length", "emp_lt_1", "emp_1", "emp_2", "emp_3", "emp_4", "emp_5", "emp_ge_10"),
            Category("personal_status", "male single", "female div/dep/mar", "male mar/wid"),
            Number("duration", 4, 72, "18"), Number("age", 19, 75, "33"), Number("hr", 0, 23, "12"),
            Number("workingday", 0, 1, "1"), Number("hum", 0, 1, "0.63"), Number("IsActiveMember", 0, 1, "1"),
        ],
    };

    [Theory]
    [InlineData("a 60 month term", "term=term_60")]
    [InlineData("savings of 250", "savings_status=100<=X<500")]
    [InlineData("savings 2000", "savings_status=>=1000")]
    [InlineData("employment length 3 years", "emp_length=emp_3")]
    [InlineData("employed for 12 years", "emp_length=emp_ge_10")]
    [InlineData("employed less than 1 year", "emp_length=emp_lt_1")]
    [InlineData("savings below 100", "savings_status=<100")]
    [InlineData("a married man", "personal_status=male mar/wid")]
    [InlineData("a divorced woman", "personal_status=female div/dep/mar")]
    [InlineData("at 5 pm on a working day", "hr=17 workingday=1")]
    [InlineData("humidity 0.8", "hum=0.8")]
    [InlineData("an inactive member", "IsActiveMember=0")]
    [InlineData("an active member", "IsActiveMember=1")]
    [InlineData("aged 40, for 20 months", "age=40 duration=20")]
    [InlineData("20 months", "duration=20")]
    public void Reads_values_in_the_forms_training_files_hold_them(string question, string expected) =>
        Assert.Equal(Pairs().Matches(expected).ToDictionary(m => m.Groups[1].Value, m => (string?)m.Groups[2].Value),
            QuestionExtractor.For(ColumnVocabulary.For(Schema)).Extract(question).Values);

    [Fact]
    public void A_number_two_columns_could_take_alike_is_left_out()
    {
        var read = QuestionExtractor.For(ColumnVocabulary.For(Schema)).Extract("36 months"); // term_36, or a duration of 36

        Assert.Empty(read.Values);
        Assert.Equal(["36 months"], read.Ignored);
    }

    /// <summary>"a=1 b=two words" → a: 1, b: two words.</summary>
    [GeneratedRegex(@"(\w+)=(.*?)(?= \w+=|$)")]
    private static partial Regex Pairs();

    private static ModelColumn Number(string name, double min, double max, string median) =>
        new() { Name = name, Kind = ColumnKind.Numeric, Min = min, Max = max, Default = median };

    private static ModelColumn Category(string name, params string[] values) =>
        new() { Name = name, Kind = ColumnKind.Categorical, Values = values, Default = values[0] };
}
