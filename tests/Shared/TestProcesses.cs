using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Serverless.Tests.Shared;

public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Serverless.sln not found above the test _output folder.");
    }

    /// <summary>Release or Debug: whichever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>A child process whose output is kept for the failure message of a test.</summary>
public abstract class ChildProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    protected Process Process { get; }

    protected ChildProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        Process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => Process.HasExited;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            Process.Refresh();
            return Process.HasExited ? TimeSpan.Zero : Process.TotalProcessorTime;
        }
    }

    /// <summary>SIGKILL, no shutdown: what a crashed machine looks like.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    /// <summary>SIGTERM, as Ctrl-C or a service manager would: returns the exit code of the graceful shutdown.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString()]))
            kill.WaitForExit();
        if (!Process.WaitForExit(timeout))
            throw new TimeoutException($"The process did not stop within {timeout.TotalSeconds:F0} s of SIGTERM:\n{Output}");
        Process.WaitForExit();
        return Process.ExitCode;
    }

    public virtual void Dispose()
    {
        Kill();
        Process.Dispose();
    }
}

/// <summary>The repo's pinned Azurite (node_modules, installed by test.sh) on free loopback ports, in memory.</summary>
public sealed class AzuriteProcess : ChildProcess
{
    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    private AzuriteProcess(int blob, int queue, int table) : base(StartInfo(blob, queue, table))
    {
        (BlobPort, QueuePort, TablePort) = (blob, queue, table);
    }

    private static ProcessStartInfo StartInfo(int blob, int queue, int table)
    {
        var azurite = Path.Combine(Repo.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
            throw new InvalidOperationException($"{azurite} is missing: run ./test.sh (it installs the pinned Azurite).");
        return new ProcessStartInfo(azurite,
            ["--skipApiVersionCheck", "--disableTelemetry", "--loose", "--inMemoryPersistence",
             "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
             "--tableHost", "127.0.0.1", "--tablePort", $"{table}"]);
    }

    public static async Task<AzuriteProcess> StartAsync()
    {
        var azurite = new AzuriteProcess(Repo.FreePort(), Repo.FreePort(), Repo.FreePort());
        foreach (var port in new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort })
            await Repo.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return azurite;
    }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";
}

