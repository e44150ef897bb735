using System.Text.Json;

namespace Serverless.AutoMl.Tests;

/// <summary>
/// Enums travel through orchestration history, blob records and HTTP responses, each with its own serializer
/// options: their JSON names must not depend on those options.
/// </summary>
public class ContractJsonTests
{
    static readonly JsonSerializerOptions[] AnyOptions = [new(), new(JsonSerializerDefaults.Web)];

    [Theory]
    [InlineData(TrialStatus.Succeeded, "succeeded")]
    [InlineData(TrialStatus.TimedOut, "timedout")]
    [InlineData(TrialStatus.Skipped, "skipped")]
    public void TrialStatusKeepsItsJsonName(TrialStatus status, string name) => AssertName(status, name);

    [Theory]
    [InlineData(ColumnKind.Numeric, "numeric")]
    [InlineData(ColumnKind.Categorical, "categorical")]
    [InlineData(ColumnKind.DateTime, "datetime")]
    public void ColumnKindKeepsItsJsonName(ColumnKind kind, string name) => AssertName(kind, name);

    [Theory]
    [InlineData(FeatureKind.Number, "num")]
    [InlineData(FeatureKind.Category, "cat")]
    [InlineData(FeatureKind.Text, "text")]
    public void FeatureKindKeepsItsJsonName(FeatureKind kind, string name) => AssertName(kind, name);

    static void AssertName<T>(T value, string name) where T : struct, Enum
    {
        foreach (var options in AnyOptions)
        {
            Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, options));
            Assert.Equal(value, JsonSerializer.Deserialize<T>($"\"{name}\"", options));
        }
    }
}
