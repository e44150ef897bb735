using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

/// <summary>Offline question parsing on the schemas of real models trained from telco churn and wikipedia detox.</summary>
[Collection(TrainedModels.Collection)]
public sealed class ExtractionTests(TrainedModels models)
{
    [Fact]
    public void Maps_the_telco_question_onto_contract_charges_and_tenure()
    {
        var values = Extract(models.Telco, "would a customer on a month-to-month contract paying 80 a month with 3 months of tenure churn?");

        Assert.Equal("Month-to-month", values["contract"]);
        Assert.Equal("80", values["monthly_charges"]);
        Assert.Equal("3", values["tenure"]);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void Reads_numbers_in_either_order_and_multi_word_values()
    {
        var values = Extract(models.Telco, "Tenure 24 months, two year contract, fiber optic internet, pays by electronic check, total charges 1,500");

        Assert.Equal("24", values["tenure"]);
        Assert.Equal("Two year", values["contract"]);
        Assert.Equal("Fiber optic", values["internet_service"]);
        Assert.Equal("Electronic check", values["payment_method"]);
        Assert.Equal("1500", values["total_charges"]);
    }

    [Fact]
    public void Sets_yes_no_columns_by_name_and_negation()
    {
        var values = Extract(models.Telco, "a senior citizen without a partner, with dependents");

        Assert.Equal("1", values["senior_citizen"]);
        Assert.Equal("0", values["partner"]);
        Assert.Equal("1", values["dependents"]);
    }

    [Fact]
    public void Resolves_a_shared_value_like_yes_by_the_column_named_next_to_it()
    {
        var values = Extract(models.Telco, "online security: yes but tech support no");

        Assert.Equal("Yes", values["online_security"]);
        Assert.Equal("No", values["tech_support"]);
    }

    [Fact]
    public void Splits_camel_case_column_names_into_words()
    {
        var values = Extract(models.Housing, "a house near the Charles river with 6 rooms per dwelling and a tax rate of 300");

        Assert.Equal("1", values["CharlesRiver"]);
        Assert.Equal("6", values["RoomsPerDwelling"]);
        Assert.Equal("300", values["TaxRate"]);
    }

    [Fact]
    public void Leaves_out_what_it_cannot_place()
    {
        var values = Extract(models.Telco, "will customer 42 churn?");

        Assert.Empty(values);
    }

    [Fact]
    public void Puts_the_question_or_its_quoted_part_into_the_text_column()
    {
        var text = models.Detox.Model.Schema.Columns.Single(c => c.Kind == ColumnKind.Text).Name;

        Assert.Equal("is this comment toxic: you are an idiot", Extract(models.Detox, "is this comment toxic: you are an idiot")[text]);
        Assert.Equal("thanks for the fix", Extract(models.Detox, "Is \"thanks for the fix\" toxic?")[text]);
    }

    [Fact]
    public void Resolves_keys_in_any_case_or_separator_style()
    {
        var vocabulary = ColumnVocabulary.For(models.Telco.Model.Schema);

        Assert.Equal("monthly_charges", vocabulary.Resolve("MonthlyCharges")?.Name);
        Assert.Equal("monthly_charges", vocabulary.Resolve("Monthly Charges")?.Name);
        Assert.Equal("payment_method", vocabulary.Resolve("payment-methods")?.Name);
        Assert.Null(vocabulary.Resolve("shoe_size"));
    }

    [Fact]
    public void Validation_fills_defaults_lists_them_and_names_bad_fields()
    {
        var vocabulary = ColumnVocabulary.For(models.Telco.Model.Schema);
        var record = RecordValidator.Validate(vocabulary, new Dictionary<string, string?> { ["Tenure"] = "3", ["churn"] = "Yes" });

        Assert.Equal("3", record.Values["tenure"]);
        Assert.DoesNotContain("tenure", record.Assumed);
        Assert.Contains("contract", record.Assumed);
        Assert.Equal(vocabulary.Inputs.Single(c => c.Name == "contract").Default, record.Values["contract"]);
        Assert.DoesNotContain("churn", record.Values.Keys); // the label is not an input

        var error = Assert.Throws<InvalidRecordException>(() => RecordValidator.Validate(vocabulary,
            new Dictionary<string, string?> { ["shoe_size"] = "9", ["tenure"] = "three" }));
        Assert.Equal(["shoe_size", "tenure"], error.Fields);
    }

    private static IReadOnlyDictionary<string, string?> Extract(ServedModel served, string question) =>
        QuestionExtractor.For(ColumnVocabulary.For(served.Model.Schema)).Extract(question).Values;
}
