using System.Text.Json;
using System.Text.Json.Serialization;

namespace Serverless.AutoMl.Tests;

/// <summary>
/// Enums travel through orchestration history, blob records and HTTP responses, each with its own serializer
/// options: their JSON names must not depend on those options.
/// </summary>
public class ContractJsonTests
{
    private static readonly JsonSerializerOptions[] AnyOptions =
    [
        new(),
        new(JsonSerializerDefaults.Web),
        new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } },
    ];

    [Theory]
    [InlineData(TrialStatus.Succeeded, "succeeded")]
    [InlineData(TrialStatus.TimedOut, "timedout")]
    [InlineData(TrialStatus.Skipped, "skipped")]
    public void Trial_status_keeps_its_json_name(TrialStatus status, string name) => AssertName(status, name);

    [Theory]
    [InlineData(ColumnKind.Numeric, "numeric")]
    [InlineData(ColumnKind.Categorical, "categorical")]
    [InlineData(ColumnKind.DateTime, "datetime")]
    public void Column_kind_keeps_its_json_name(ColumnKind kind, string name) => AssertName(kind, name);

    [Theory]
    [InlineData(FeatureKind.Number, "num")]
    [InlineData(FeatureKind.Category, "cat")]
    [InlineData(FeatureKind.Text, "text")]
    public void Feature_kind_keeps_its_json_name(FeatureKind kind, string name) => AssertName(kind, name);

    private static void AssertName<T>(T value, string name) where T : struct, Enum
    {
        foreach (var options in AnyOptions)
        {
            Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, options));
            Assert.Equal(value, JsonSerializer.Deserialize<T>($"\"{name}\"", options));
        }
    }
}
