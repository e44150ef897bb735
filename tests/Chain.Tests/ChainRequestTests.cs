using System.Text.Json;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests;

public sealed class ChainRequestTests
{
    [Fact]
    public void Reads_a_record_with_json_numbers_booleans_and_nulls_as_strings()
    {
        var request = Read("""{"input": {"tenure": 3, "monthly_charges": 80.5, "partner": true, "contract": "One year", "x": null}}""");

        Assert.Null(request.Text);
        Assert.Equal("3", request.Record!["tenure"]);
        Assert.Equal("80.5", request.Record["monthly_charges"]);
        Assert.Equal("true", request.Record["partner"]);
        Assert.Equal("One year", request.Record["contract"]);
        Assert.Null(request.Record["x"]);
    }

    [Theory]
    [InlineData("""{"question": "will they churn?"}""")]
    [InlineData("""{"input": "will they churn?"}""")]
    public void Reads_a_question_from_either_shape(string body) =>
        Assert.Equal("will they churn?", Read(body).Text);

    [Theory]
    [InlineData("""{"record": {}}""", "input")]
    [InlineData("""{"input": 5}""", "input")]
    [InlineData("""{"input": {"tenure": [1, 2]}}""", "tenure")]
    public void Rejects_other_shapes_naming_the_field(string body, string field) =>
        Assert.Contains(field, Assert.Throws<InvalidRecordException>(() => Read(body)).Fields);

    private static ChainRequest Read(string json) => ChainRequest.FromJson(JsonDocument.Parse(json).RootElement);
}
