using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.AutoMl;
using Serverless.Chain.Extraction;

namespace Serverless.Chain.Tests;

/// <summary>
/// Shapes found by the third probe (clinical, telecom, order, HR and home-energy tables): units and remarks in names
/// and values, names typed as one word, numbers in names, rates after a slash, categories spelled with number words,
/// yes/no codes, and everyday words for a sex, an income, a quantity or a rating.
/// </summary>
public sealed class ProbeThreeShapesTests
{
    private static readonly ModelSchema Clinic = new()
    {
        Label = "readmitted_30d", Task = MlTask.Binary, Classes = ["No", "Yes"],
        Columns =
        [
            Number("patient_age", 25, 90), Category("Sex", "Male", "Female"), Number("Resting BP (mm Hg)", 95, 200),
            Number("prior_admissions", 0, 5), Number("LengthOfStayDays", 1, 30), Flag("on_statin", "Y", "N"),
            Category("Smoking Status", "Never", "Former", "Current"),
        ],
    };

    private static readonly ModelSchema Telecom = new()
    {
        Label = "CHURN", Task = MlTask.Binary, Classes = ["False", "True"],
        Columns =
        [
            Number("TENURE_MO", 1, 72), Category("CONTRACT", "Month-to-Month", "One Year", "Two Year"), Number("MONTHLY_CHG", 18, 119),
            Category("PAY_METHOD", "Electronic Check", "Bank Transfer (automatic)", "Credit Card (automatic)", "PayPal"),
            Category("INTL_PLAN", "yes", "no"), Category("STREAMING", "Yes", "No"), Number("DEVICE_PROTECTION", 0, 1, "0"),
        ],
    };

    private static readonly ModelSchema Shop = new()
    {
        Label = "Returned", Task = MlTask.Binary, Classes = ["0", "1"],
        Columns =
        [
            Number("Unit Price ($)", 5, 900), Number("Discount %", 0, 60), Number("Qty", 1, 6), Number("Product Rating", 1, 5),
            Category("Category", "Clothing", "Electronics"),
        ],
    };

    private static readonly ModelSchema Staff = new()
    {
        Label = "LeftCompany", Task = MlTask.Binary, Classes = ["No", "Yes"],
        Columns =
        [
            Number("Age", 21, 64), Number("YearsAtCompany", 0, 30), Number("AnnualSalary", 35000, 155000),
            Number("CommuteDistanceKm", 0.5, 60), Number("PromotedLast2Yrs", 0, 1, "0"),
        ],
    };

    private static readonly ModelSchema Home = new()
    {
        Label = "annual_kwh", Task = MlTask.Regression,
        Columns =
        [
            Number("sqft", 600, 4800), Number("avg_temp_f", 38, 82), Category("insulation", "Poor", "Average", "Good"),
            Flag("has_pool", "False", "True"),
        ],
    };

    [Theory]
    [InlineData("My father is 77", "Sex=Male;patient_age=77")]                          // kin words name a sex
    [InlineData("3 previous admissions", "prior_admissions=3")]                        // "previous" is "prior"
    [InlineData("BP 165", "Resting BP (mm Hg)=165")]                                   // a bracketed unit is a remark on the name
    [InlineData("a 67 year old readmitted within 30 days", "patient_age=67")]          // 30 days is the label's, not the stay's
    [InlineData("female, on statin: no", "Sex=Female;on_statin=N")]                    // Y/N are yes and no
    [InlineData("never smoked, not on statins", "Smoking Status=Never;on_statin=N")]
    [InlineData("Age 50, sex M", "patient_age=50;Sex=Male")]                          // a capital letter for Male, beside its column
    [InlineData("72F", "")]                                                            // a letter alone says nothing
    [InlineData("5 m away", "")]                                                       // a stay in days is no length in metres
    public void Clinic_shapes(string question, string expected) => Assert.Equal(Parse(expected), Read(Clinic, question));

    [Theory]
    [InlineData("paying $79.99/month for 2 years", "MONTHLY_CHG=79.99;TENURE_MO=24")]  // a slash before a time is a rate
    [InlineData("48 mos, pays 105/mo", "TENURE_MO=48;MONTHLY_CHG=105")]
    [InlineData("1 yr contract", "CONTRACT=One Year")]                                 // a number picks a category spelled in words
    [InlineData("a 2-year contract", "CONTRACT=Two Year")]
    [InlineData("a two-year plan", "CONTRACT=Two Year")]                               // the value's own words still read it
    [InlineData("2 years on a month-to-month contract", "TENURE_MO=24;CONTRACT=Month-to-Month")]
    [InlineData("an international plan", "INTL_PLAN=yes")]                            // "intl" abbreviates "international"
    [InlineData("pays by bank transfer", "PAY_METHOD=Bank Transfer (automatic)")]      // a value's bracketed remark may be left out
    [InlineData("paypal, 12 months", "PAY_METHOD=PayPal;TENURE_MO=12")]                // a value in inner capitals typed as one word
    [InlineData("streaming yes, device protection: yes", "STREAMING=Yes;DEVICE_PROTECTION=1")] // a yes after a mention answers it
    [InlineData("device protection no, streaming yes", "DEVICE_PROTECTION=0;STREAMING=Yes")]
    public void Telecom_shapes(string question, string expected) => Assert.Equal(Parse(expected), Read(Telecom, question));

    [Theory]
    [InlineData("2 items in Clothing at $49.99 each", "Qty=2;Category=Clothing;Unit Price ($)=49.99")] // items and units are a quantity
    [InlineData("electronics, $35, 5 units", "Category=Electronics;Unit Price ($)=35;Qty=5")]
    [InlineData("10% off, 4 stars", "Discount %=10;Product Rating=4")]                // "% off" is a discount, stars a rating
    [InlineData("20 percent off, five star rating", "Discount %=20;Product Rating=5")]
    public void Order_shapes(string question, string expected) => Assert.Equal(Parse(expected), Read(Shop, question));

    [Theory]
    [InlineData("I make 58k", "AnnualSalary=58000")]                                     // "make" is an income
    [InlineData("Department=Sales | CommuteDistanceKm=45", "CommuteDistanceKm=45")]      // a name typed as one word
    [InlineData("promoted in the last 2 years", "PromotedLast2Yrs=1")]                   // "Last2Yrs": the 2 is part of the name
    [InlineData("I've been here 2 yrs", "YearsAtCompany=2")]                             // without "last" it is a value
    public void Staff_shapes(string question, string expected) => Assert.Equal(Parse(expected), Read(Staff, question));

    [Theory]
    [InlineData("mild climate, avg 70F", "avg_temp_f=70")]                 // "avg" names the column, not the value Average
    [InlineData("average outdoor temp 41 degrees F", "avg_temp_f=41")]
    [InlineData("average insulation, 2000 sqft", "insulation=Average;sqft=2000")]
    public void A_one_word_value_among_words_naming_a_number_column_is_the_columns(string question, string expected) =>
        Assert.Equal(Parse(expected), Read(Home, question));

    [Fact]
    public void Splits_digits_between_a_word_and_a_capital_into_a_word_of_their_own()
    {
        Assert.Equal(["promoted", "last", "2", "yrs"], WordForms.SplitName("PromotedLast2Yrs"));
        Assert.Equal(["od280"], WordForms.SplitName("od280"));
    }

    [Theory]
    [InlineData("Shop", "Unit Price ($)=120, Discount %=25", "Unit Price ($)=120;Discount %=25")]   // keys with units and symbols
    [InlineData("Home", "has_pool: yes, sqft: 4100", "has_pool=True;sqft=4100")]                  // yes/no as the column writes it
    [InlineData("Telecom", "DEVICE_PROTECTION=yes; TENURE_MO=5", "DEVICE_PROTECTION=1;TENURE_MO=5")]
    public async Task Key_value_text_with_symbols_in_keys_or_yes_and_no_for_yes_no_columns_is_a_record(string schema, string text, string expected)
    {
        var read = await new QuestionReader(Options.Create(new ChainOptions()))
            .ReadAsync(schema switch { "Shop" => Shop, "Home" => Home, _ => Telecom }, text, CancellationToken.None);

        Assert.Equal(InputSource.KeyValue, read.Source);
        Assert.Equal(Parse(expected), read.Extraction.Values);
    }

    private static IReadOnlyDictionary<string, string?> Read(ModelSchema schema, string question) =>
        QuestionExtractor.For(ColumnVocabulary.For(schema)).Extract(question).Values;

    /// <summary>"a=1;b=two words" → {a: 1, b: two words}.</summary>
    private static Dictionary<string, string?> Parse(string expected) =>
        expected.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => (string?)p[1]);

    private static ModelColumn Number(string name, double min, double max, string? median = null) =>
        new() { Name = name, Kind = ColumnKind.Numeric, Min = min, Max = max, Default = median ?? ((min + max) / 2).ToString(CultureInfo.InvariantCulture) };

    private static ModelColumn Flag(string name, params string[] values) =>
        new() { Name = name, Kind = ColumnKind.Boolean, Values = values, Default = values[0] };

    private static ModelColumn Category(string name, params string[] values) =>
        new() { Name = name, Kind = ColumnKind.Categorical, Values = values, Default = values[0] };
}
