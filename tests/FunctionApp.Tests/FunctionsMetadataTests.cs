using System.Text.Json;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// The Functions host cannot be installed here, so this checks what it would load: the functions.metadata and
/// extensions.json the worker SDK generates into the FunctionApp's build output.
/// </summary>
public sealed class FunctionsMetadataTests
{
    static readonly string Output = FindOutput();

    static string FindOutput()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            dir = dir.Parent;
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        return Path.Combine(dir!.FullName, "src", "FunctionApp", "bin", configuration, "net10.0");
    }

    static readonly Dictionary<string, JsonElement> Functions = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata"))).RootElement.EnumerateArray()
        .ToDictionary(f => f.GetProperty("name").GetString()!, f => f);

    static JsonElement Trigger(string function)
    {
        Assert.True(Functions.ContainsKey(function), $"function {function} is missing; found {string.Join(", ", Functions.Keys)}");
        return Functions[function].GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
    }

    static string? Text(JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) ? value.GetString() : null;

    [Fact]
    public void Blob_trigger_watches_the_datasets_container_and_has_a_durable_client()
    {
        var trigger = Trigger("OnDatasetUploaded");
        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("datasets/{dataset}/{file}", Text(trigger, "path"));
        Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
        Assert.Contains(Functions["OnDatasetUploaded"].GetProperty("bindings").EnumerateArray(),
            b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Theory]
    [InlineData("TrainModel", "orchestrationTrigger")]
    [InlineData("PrepareDataset", "activityTrigger")]
    [InlineData("RunTrial", "activityTrigger")]
    [InlineData("DeployChampion", "activityTrigger")]
    [InlineData("RecordRun", "activityTrigger")]
    public void Orchestration_functions_have_durable_triggers(string function, string triggerType) =>
        Assert.Equal(triggerType, Trigger(function).GetProperty("type").GetString());

    [Theory]
    [InlineData("GetRun", "runs/{instanceId}", "get")]
    [InlineData("ListRuns", "runs", "get")]
    [InlineData("GetModels", "models/{dataset}", "get")]
    [InlineData("RollbackModel", "models/{dataset}/rollback", "post")]
    [InlineData("ChainInvoke", "chain/{dataset}/invoke", "post")]
    [InlineData("ChainBatch", "chain/{dataset}/batch", "post")]
    [InlineData("ChainStream", "chain/{dataset}/stream", "post")]
    [InlineData("ChainInputSchema", "chain/{dataset}/input_schema", "get")]
    [InlineData("ChainOutputSchema", "chain/{dataset}/output_schema", "get")]
    public void Http_functions_have_their_routes_and_methods(string function, string route, string method)
    {
        var trigger = Trigger(function);
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, Text(trigger, "route"));
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void Retrain_timer_reads_its_schedule_from_the_RetrainSchedule_setting()
    {
        var trigger = Trigger("Retrain");
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("%RetrainSchedule%", Text(trigger, "schedule"));
    }

    [Fact]
    public void Extensions_json_lists_the_blob_and_durable_extensions()
    {
        var names = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "extensions.json")))
            .RootElement.GetProperty("extensions").EnumerateArray()
            .Select(e => e.GetProperty("typeName").GetString()).ToList();
        Assert.Contains(names, n => n!.Contains("DurableTask", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.Contains("AzureStorageBlobs", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_json_is_deployed_with_the_app()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "host.json"))).RootElement;
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("%TaskHubName%", host.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
    }
}
