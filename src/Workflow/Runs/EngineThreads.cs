namespace Serverless.Workflow.Runs;

/// <summary>
/// Engine steps run on pool threads (<see cref="RunWorkspace"/>) and each holds one for seconds. The pool's minimum
/// goes up by the worker's slots, so that as many threads as before stay ready for the host's own work (the durable
/// engine's polling, HTTP) instead of waiting for the pool to notice it is starved (a thread per half second).
/// </summary>
public static class EngineThreads
{
    public static void Reserve(int slots)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Environment.ProcessorCount + slots;
        if (workers < wanted)
            ThreadPool.SetMinThreads(wanted, io);
    }
}
