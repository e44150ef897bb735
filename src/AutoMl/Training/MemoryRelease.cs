using System.Runtime;

namespace Serverless.AutoMl.Training;

/// <summary>
/// Gives memory back after the engine's big allocations. Left alone, the runtime keeps the heap a run grew to (a host
/// went from 1.2 GB to 9 GB and stayed there; a 746-row CLI run peaked at 1.7 GB where 0.4 GB were live): ML.NET's
/// caches and learners allocate and drop large arrays that only a full, compacting collection returns to the system.
/// </summary>
internal static class MemoryRelease
{
    /// <summary>Heap size above which a trial collects when it ends.</summary>
    private const long TrialHeapBytes = 1L << 30;

    /// <summary>After Prepare and Finish: whatever they allocated is garbage now.</summary>
    public static void Now()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>After a trial, only when the heap has grown large: small trials should not pay a full collection each.</summary>
    public static void IfLarge()
    {
        if (GC.GetGCMemoryInfo().HeapSizeBytes > TrialHeapBytes) Now();
    }
}
