using System.Runtime.InteropServices;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Environment variables native libraries read with getenv. On Linux and macOS, Environment.SetEnvironmentVariable
/// changes only .NET's own copy, so a variable meant for native code (OpenMP's) is set in the C library as well.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets the variable for managed and native readers unless it is already set; the value in force after.</summary>
    public static string SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is { } existing)
            return existing;
        Environment.SetEnvironmentVariable(name, value);
        if (!OperatingSystem.IsWindows() && SetEnv(name, value, overwrite: 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        return value;
    }

    /// <summary>What native code reads for the variable; null when it is unset there.</summary>
    public static string? NativeValue(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
