using Serverless.AutoMl;
using Serverless.Workflow.Registry;

namespace Serverless.Workflow.Tests;

/// <summary>Stand-ins for the gate's comparison on the rows a champion never saw.</summary>
internal static class UnseenRows
{
    /// <summary>None of the challenger's rows is new to the champion: the challenger wins, as newer data.</summary>
    public static readonly CompareOnUnseenRows None = (_, _) => Task.FromResult<RowComparison?>(null);

    /// <summary>These scores on these rows, whichever the champion.</summary>
    public static CompareOnUnseenRows Scored(double challenger, double champion, int rows = 250, string metric = "auc") =>
        (_, _) => Task.FromResult<RowComparison?>(new RowComparison(metric, rows, challenger, champion));
}
