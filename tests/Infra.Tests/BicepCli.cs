using System.Diagnostics;
using System.Reflection;

namespace Serverless.Infra.Tests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (restored, never copied to output).</summary>
public static class BicepCli
{
    public sealed record Result(int ExitCode, string Json, string Diagnostics);

    private static readonly Lazy<string> Executable = new(Locate);

    public static Result Build(string bicepFile)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            ArgumentList = { "build", bicepFile, "--stdout" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        // Read both streams concurrently so a full stderr pipe cannot stall the compiler.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the referenced Bicep CLI package is linux-x64");
        }

        var packageRoot = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPackageRoot").Value;
        var path = Path.Combine(packageRoot ?? "", "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("bicep not found in the restored Azure.Bicep.CommandLine.linux-x64 package", path);
        }

        // NuGet extracts package files without their execute bit on some hosts.
        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }

        return path;
    }
}
