namespace Serverless.AutoMl.Training;

/// <summary>
/// What Finish measured refitting its lead on two prefixes of the rows it featurized, running the rounds of the planned
/// refit: a refit's fixed costs (its context, binning and bundling thousands of sparse features, each round's split
/// search) weigh on a small probe far more than on the refit, so one probe scaled by its rows overstates the refit
/// (10,000 rows took 3.3 s, 99,000 rows 13 s); the line through two probes separates the fixed part from the part that
/// grows with the rows.
/// </summary>
internal sealed record RefitProbe(int SmallRows, double SmallSeconds, int Rows, double Seconds)
{
    /// <summary>The refit's seconds on rows rows: the line through the two probes, never falling with the rows.</summary>
    public double SecondsAt(int rows) =>
        Math.Max(Seconds, Seconds + Math.Max(0, Seconds - SmallSeconds) / Math.Max(1, Rows - SmallRows) * (rows - Rows));
}
