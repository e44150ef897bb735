using Serverless.AutoMl;
using Serverless.AutoMl.Forecasting;
using Serverless.Chain.Forecasting;

namespace Serverless.Chain.Tests.Forecasting;

/// <summary>How far ahead a question asks, in the series' steps, and which series it names.</summary>
public sealed class HorizonReaderTests
{
    private static ForecastInputSchema Input(SeriesFrequency frequency, DateTime last, params string?[] series) => new()
    {
        Horizon = 6, Frequency = frequency,
        Series = series.Length == 0 ? [new SeriesInput(null, last)] : [.. series.Select(id => new SeriesInput(id, last))],
    };

    private static readonly ForecastInputSchema Monthly = Input(SeriesFrequency.Monthly, new DateTime(1960, 12, 1));

    [Theory]
    [InlineData("what will sales be over the next 6 months?", 6, "the next 6 months")]
    [InlineData("What about next quarter", 3, "the next quarter")]
    [InlineData("forecast the next two years", 24, "the next 2 years")]
    [InlineData("sales a dozen months ahead", 12, "the next 12 months")]
    [InlineData("twenty four months from now", 24, "the next 24 months")]
    [InlineData("and next month?", 1, "the next month")]
    [InlineData("sales per month over the coming year", 12, "the next year")]
    [InlineData("give me the next 8", 8, "the next 8 months")]
    [InlineData("the next 3 periods", 3, "the next 3 months")]
    [InlineData("over the next 18 mths", 18, "the next 18 months")]
    public void A_span_of_months_quarters_or_years_becomes_monthly_steps(string question, int steps, string span)
    {
        var reading = HorizonReader.Read(question, Monthly);
        Assert.Equal((steps, span), (reading.Steps, reading.Span));
        Assert.Empty(reading.Notes);
    }

    [Theory]
    [InlineData(SeriesFrequency.Daily, "the next two weeks", 14)]
    [InlineData(SeriesFrequency.Daily, "tomorrow", 1)]
    [InlineData(SeriesFrequency.Daily, "the next 5 business days", 7)]
    [InlineData(SeriesFrequency.BusinessDaily, "the next two weeks", 10)]
    [InlineData(SeriesFrequency.BusinessDaily, "the next 5 working days", 5)]
    [InlineData(SeriesFrequency.Hourly, "tomorrow", 24)]
    [InlineData(SeriesFrequency.Quarterly, "the next 2 years", 8)]
    [InlineData(SeriesFrequency.Quarterly, "next six months", 2)]
    [InlineData(SeriesFrequency.Yearly, "next decade", 10)]
    public void Units_convert_to_the_series_steps_on_its_calendar(SeriesFrequency frequency, string question, int steps)
    {
        // A Friday: business days skip the weekend after it.
        var reading = HorizonReader.Read(question, Input(frequency, new DateTime(2024, 3, 29)));
        Assert.Equal(steps, reading.Steps);
    }

    [Theory]
    [InlineData(SeriesFrequency.Weekly, "over the next 10 days", 2)]
    [InlineData(SeriesFrequency.Monthly, "in the next two weeks", 1)]
    [InlineData(SeriesFrequency.Weekly, "next quarter", 14)]
    public void A_span_that_is_not_whole_steps_is_rounded_up_with_a_note(SeriesFrequency frequency, string question, int steps)
    {
        var reading = HorizonReader.Read(question, Input(frequency, new DateTime(2024, 3, 29)));
        Assert.Equal(steps, reading.Steps);
        Assert.Contains("not a whole number of", Assert.Single(reading.Notes));
    }

    [Theory]
    [InlineData("what will sales be?")]
    [InlineData("what may sales be next, for 2000 units in stock")]
    [InlineData("what if we march on")]
    public void A_question_without_a_span_or_a_date_leaves_the_steps_to_the_forecaster(string question)
    {
        var reading = HorizonReader.Read(question, Monthly);
        Assert.Equal((null, null, null), (reading.Steps, reading.Span, reading.Period));
    }

    [Theory]
    [InlineData("How many will we sell in March 1961?", 3, "Mar 1961")]
    [InlineData("and in may 1961", 5, "May 1961")]
    [InlineData("what about June", 6, "Jun 1961")]
    [InlineData("how are monthly sales in 1961 going to look", 12, "1961")]
    [InlineData("sales by the end of 1962", 24, "1962")]
    [InlineData("the forecast for Q2 1961", 6, "1961 Q2")]
    [InlineData("what will they be on 1961-02-15?", 2, "1961-02-15")]
    public void A_named_date_is_forecast_up_to_the_end_of_its_period(string question, int steps, string label)
    {
        var reading = HorizonReader.Read(question, Monthly);
        Assert.Equal((steps, "until " + label, label), (reading.Steps, reading.Span, reading.Period?.Label));
    }

    [Fact]
    public void A_date_of_the_past_is_not_forecast_and_says_so()
    {
        var reading = HorizonReader.Read("what were sales in March 1960?", Monthly);
        Assert.Null(reading.Steps);
        Assert.Contains("Mar 1960 is not after the data's last timestamp (1960-12-01)", Assert.Single(reading.Notes));
    }

    [Theory]
    [InlineData(SeriesFrequency.Daily, "what about on 1961-01-03", 3)]
    [InlineData(SeriesFrequency.Daily, "until January", 31)]
    [InlineData(SeriesFrequency.Quarterly, "in 1961", 4)]
    [InlineData(SeriesFrequency.Quarterly, "by q1", 1)]
    public void A_named_date_converts_to_the_series_steps(SeriesFrequency frequency, string question, int steps) =>
        Assert.Equal(steps, HorizonReader.Read(question, Input(frequency, new DateTime(1960, 12, 31))).Steps);

    [Theory]
    [InlineData("how will North East do next quarter?", "North East")]
    [InlineData("and the east over the next 6 months?", "East")]
    [InlineData("what about next year", null)]
    public void A_series_is_named_by_its_words_and_the_longest_name_wins(string question, string? series) =>
        Assert.Equal(series, HorizonReader.Read(question, Input(SeriesFrequency.Monthly, new DateTime(1960, 12, 1), "North East", "East")).Series);

    [Fact]
    public void Short_series_ids_are_matched_only_as_written_and_numbers_of_the_span_are_not_ids()
    {
        var letters = Input(SeriesFrequency.Monthly, new DateTime(1960, 12, 1), "A", "B");
        Assert.Null(HorizonReader.Read("what will a store sell in a month?", letters).Series);
        Assert.Equal("A", HorizonReader.Read("what will A sell in a month?", letters).Series);

        var numbers = Input(SeriesFrequency.Monthly, new DateTime(1960, 12, 1), "12", "7");
        var reading = HorizonReader.Read("what will store 7 sell over the next 12 months?", numbers);
        Assert.Equal(("7", 12), (reading.Series, reading.Steps));
    }

    [Fact]
    public void Two_series_named_in_one_question_are_an_error_naming_them()
    {
        var error = Assert.Throws<InvalidRecordException>(() =>
            HorizonReader.Read("compare North East and West next year", Input(SeriesFrequency.Monthly, new DateTime(1960, 12, 1), "North East", "West")));
        Assert.Contains("North East, West", error.Message);
        Assert.Equal(["series"], error.Fields);
    }
}
