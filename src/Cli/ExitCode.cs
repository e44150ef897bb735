namespace Serverless.Cli;

/// <summary>The command line's exit codes (README documents them).</summary>
public enum ExitCode
{
    Ok = 0,
    /// <summary>The host refused or failed the request, or a run ended failed.</summary>
    Failed = 1,
    /// <summary>The command line itself is wrong: unknown command, missing or invalid option.</summary>
    Usage = 2,
    /// <summary>The data cannot be trained on or scored (the message says why).</summary>
    UnusableData = 3,
}
