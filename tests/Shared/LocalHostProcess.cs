using System.Diagnostics;
using System.Net.Sockets;
using Serverless.Workflow.Training;

namespace Serverless.Tests.Shared;

/// <summary>The built src/LocalHost as its own process, exactly as ./run.sh starts it.</summary>
public sealed class LocalHostProcess : ChildProcess
{
    public Uri BaseAddress { get; }

    private LocalHostProcess(ProcessStartInfo start, Uri baseAddress) : base(start) => BaseAddress = baseAddress;

    public static async Task<LocalHostProcess> StartAsync(HostSettings settings)
    {
        var dll = Path.Combine(Repo.Root, "src", "LocalHost", "bin", Repo.Configuration, "net10.0", "Serverless.LocalHost.dll");
        var port = Repo.FreePort();
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = settings.WorkDirectory };
        start.Environment["AzureWebJobsStorage"] = settings.ConnectionString;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["TaskHubName"] = settings.TaskHub;
        start.Environment["DurableTask__WorkerId"] = settings.WorkerId;
        start.Environment["DurableTask__MaxConcurrentActivities"] = $"{settings.SlotsPerWorker}";
        start.Environment["AutoMl__Workers"] = $"{settings.Workers}";
        start.Environment["DurableTask__ActivitiesPerHistory"] = $"{settings.ActivitiesPerHistory}";
        start.Environment["AutoMl__WorkDirectory"] = settings.LocalCopies;
        if (settings.QuickTimers)
        {
            start.Environment["LocalHost__BlobPollMilliseconds"] = "500";
            start.Environment["LocalHost__SweepSeconds"] = "1";
        }
        start.Environment["RetrainSchedule"] = "0 0 3 * * *";
        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var host = new LocalHostProcess(start, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await Repo.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
        }
        catch (SocketException)
        {
            throw new InvalidOperationException("The local host did not start listening:\n" + host.Output);
        }
        return host;
    }
}

/// <summary>
/// A host of a task hub: <paramref name="WorkDirectory"/> is its working folder; its copies of runs' files go to
/// <see cref="LocalCopies"/>/{WorkerId}. The run's parallel trials default to <see cref="Workers"/> x <see cref="SlotsPerWorker"/>.
/// <paramref name="Environment"/> adds or overrides settings (A__B names, as in app settings).
/// </summary>
public sealed record HostSettings(string ConnectionString, string TaskHub, string WorkDirectory, IReadOnlyDictionary<string, string>? Environment = null)
{
    public string WorkerId { get; init; } = "e2e";
    public int Workers { get; init; } = 1;
    public int SlotsPerWorker { get; init; } = 2;
    public int ActivitiesPerHistory { get; init; } = TrainModelOrchestrator.DefaultActivitiesPerHistory;

    /// <summary>
    /// Tests poll the datasets container every 0.5 s and sweep ended runs' copies every second, so they wait less; a
    /// benchmark turns this off to measure the host's own timers (1 s and 30 s), which cost less CPU.
    /// </summary>
    public bool QuickTimers { get; init; } = true;

    public string LocalCopies => Path.Combine(WorkDirectory, "work");
}
