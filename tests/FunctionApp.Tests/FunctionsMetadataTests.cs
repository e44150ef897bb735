using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Serverless.Workflow;
using Serverless.Workflow.Api;
using Serverless.Workflow.Training;

namespace Serverless.FunctionApp.Tests;

/// <summary>
/// The Functions host cannot be installed here, so this checks what it would load: the functions.metadata and
/// extensions.json the worker SDK generates into the FunctionApp's build output, against the app's own tables of
/// routes (<see cref="ApiRoutes"/>) and activities (<see cref="WorkflowActivities"/>).
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string Output = typeof(FunctionsMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionAppOutput").Value!;

    private static readonly Dictionary<string, JsonElement> Functions = JsonDocument
        .Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata"))).RootElement.EnumerateArray()
        .ToDictionary(f => f.GetProperty("name").GetString()!, f => f);

    private static JsonElement Trigger(string function)
    {
        Assert.True(Functions.ContainsKey(function), $"function {function} is missing; found {string.Join(", ", Functions.Keys)}");
        return Functions[function].GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Function, JsonElement Trigger)> TriggersOfType(string type) =>
        Functions.Keys.Select(f => (f, Trigger(f))).Where(x => x.Item2.GetProperty("type").GetString() == type);

    private static string? Text(JsonElement binding, string property) =>
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

    [Fact]
    public void The_orchestration_and_every_activity_of_the_table_have_durable_triggers()
    {
        Assert.Equal("orchestrationTrigger", Trigger(WorkflowNames.TrainModel).GetProperty("type").GetString());
        Assert.Equal(
            WorkflowActivities.All.Select(a => a.Name).Order(),
            TriggersOfType("activityTrigger").Select(t => t.Function).Order());
    }

    [Fact]
    public void Http_functions_serve_exactly_the_route_table_with_its_access_levels()
    {
        var served = TriggersOfType("httpTrigger")
            .SelectMany(t => t.Trigger.GetProperty("methods").EnumerateArray().Select(m =>
                (Method: m.GetString()!.ToUpperInvariant(), Template: Text(t.Trigger, "route")!, Access: Access(Text(t.Trigger, "authLevel")!))));
        Assert.Equal(
            ApiRoutes.All.Concat(ApiRoutes.Pages).Select(r => (r.Method, r.Template, r.Access)).Order(),
            served.Order());
    }

    /// <summary>Admin routes need the admin (master) key, the Studio's files none, everything else a function key.</summary>
    private static RouteAccess Access(string authLevel) => authLevel switch
    {
        "Admin" => RouteAccess.Admin,
        "Function" => RouteAccess.Caller,
        "Anonymous" => RouteAccess.Anyone,
        _ => throw new InvalidOperationException($"unexpected authLevel {authLevel}"),
    };

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

    [Fact]
    public void Host_json_keeps_an_orchestration_in_memory_between_its_activities()
    {
        var durableTask = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "host.json"))).RootElement
            .GetProperty("extensions").GetProperty("durableTask");
        Assert.True(durableTask.GetProperty("extendedSessionsEnabled").GetBoolean());
    }

    [Fact]
    public void An_instance_runs_as_many_trials_at_once_as_host_json_lets_it_run_activities()
    {
        var activities = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "host.json"))).RootElement
            .GetProperty("extensions").GetProperty("durableTask").GetProperty("maxConcurrentActivityFunctions").GetInt32();
        Assert.Equal(activities, Cluster.From(new ConfigurationBuilder().Build(), Output).SlotsPerWorker);
    }
}
