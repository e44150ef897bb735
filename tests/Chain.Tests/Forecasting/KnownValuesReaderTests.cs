using Serverless.AutoMl.Forecasting;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain.Tests.Forecasting;

/// <summary>Known columns' values a forecasting question states, by the tabular chain's rules.</summary>
public sealed class KnownValuesReaderTests
{
    private static readonly ForecastInputSchema Input = new()
    {
        Horizon = 4, Frequency = SeriesFrequency.Weekly,
        Series = [new SeriesInput(null, new DateTime(2024, 6, 3))],
        KnownColumns = [new KnownInput("promo", 0, 1), new KnownInput("unit_price", 5, 30)],
    };

    /// <summary>As the chain reads them: from what is left once the span or date is read.</summary>
    private static IReadOnlyDictionary<string, double> Read(string question) =>
        KnownValuesReader.Read(HorizonReader.Read(question, Input).Rest!, "sales", Input);

    [Theory]
    [InlineData("sales over the next 4 weeks with a promo", "promo", 1)]
    [InlineData("and without the promo?", "promo", 0)]
    [InlineData("what if the unit price is 20 next month", "unit_price", 20)]
    public void A_known_column_the_question_states_takes_its_value(string question, string column, double value) =>
        Assert.Equal(value, Read(question)[column]);

    [Theory]
    [InlineData("sales over the next 4 weeks")]
    [InlineData("what will sales be in 2025?")]
    [InlineData("sales for 20 weeks")]
    public void Numbers_of_the_span_or_a_date_set_no_known_column(string question) =>
        Assert.Empty(Read(question));
}
