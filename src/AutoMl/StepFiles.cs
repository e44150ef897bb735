namespace Serverless.AutoMl;

/// <summary>
/// A file of a work directory, by its path relative to the directory ('/'-separated). A trial's own outputs name
/// their trial, so a host that stores them per batch of trials knows where each one went.
/// </summary>
public sealed record WorkFile(string Path, int? TrialId = null);

/// <summary>
/// The work-directory files one step of the engine reads and writes: a host that moves steps between machines
/// fetches exactly <see cref="Reads"/> before the step and keeps <see cref="Writes"/> after it.
/// </summary>
public sealed record StepFiles(IReadOnlyList<WorkFile> Reads, IReadOnlyList<WorkFile> Writes);
