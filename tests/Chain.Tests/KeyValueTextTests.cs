namespace Serverless.Chain.Tests;

public sealed class KeyValueTextTests
{
    [Fact]
    public void Reads_pairs_separated_by_commas_semicolons_or_lines_with_colon_or_equals()
    {
        Assert.True(KeyValueText.TryParse("tenure: 3, contract = Month-to-month; Monthly Charges: 80\npartner: 1", out var record));

        Assert.Equal(new Dictionary<string, string?>
        {
            ["tenure"] = "3", ["contract"] = "Month-to-month", ["Monthly Charges"] = "80", ["partner"] = "1",
        }, record);
    }

    [Theory]
    [InlineData("would a customer on a month-to-month contract churn?")]
    [InlineData("tenure is 3, contract: one year")]
    [InlineData("   ")]
    public void Refuses_text_that_is_not_all_pairs(string text) => Assert.False(KeyValueText.TryParse(text, out _));
}
