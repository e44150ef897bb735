using System.Diagnostics;
using System.Net.Sockets;
using Serverless.Tests.Shared;

namespace Serverless.EndToEnd.Tests;

/// <summary>The built src/LocalHost as its own process, exactly as ./run.sh starts it.</summary>
internal sealed class LocalHostProcess : ChildProcess
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
        start.Environment["DurableTask__WorkerId"] = "e2e";
        start.Environment["AutoMl__WorkDirectory"] = Path.Combine(settings.WorkDirectory, "work");
        start.Environment["AutoMl__ParallelTrials"] = "2";
        start.Environment["LocalHost__BlobPollMilliseconds"] = "500";
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

internal /// <summary>How a test starts the host; Environment adds or overrides settings (A__B names, as in app settings).</summary>
sealed record HostSettings(string ConnectionString, string TaskHub, string WorkDirectory, IReadOnlyDictionary<string, string>? Environment = null);
