namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// One series on its frequency's grid, with no gaps: Values[i] is the target at grid step StartIndex + i, and each
/// covariate column has a value at every step.
/// </summary>
internal sealed record SeriesData(string? Id, long StartIndex, double[] Values, IReadOnlyDictionary<string, double[]> Covariates)
{
    public int Length => Values.Length;

    /// <summary>The first count points: the history a forecast origin at count - 1 may see.</summary>
    public SeriesData Head(int count) => this with
    {
        Values = Values[..count],
        Covariates = Covariates.ToDictionary(c => c.Key, c => c.Value[..count]),
    };

    /// <summary>The last count points (all of them when the series is shorter).</summary>
    public SeriesData Tail(int count)
    {
        var skip = Math.Max(0, Length - count);
        return this with
        {
            StartIndex = StartIndex + skip,
            Values = Values[skip..],
            Covariates = Covariates.ToDictionary(c => c.Key, c => c.Value[skip..]),
        };
    }

    /// <summary>Covariate values at steps [from, from + count), for the columns named.</summary>
    public Dictionary<string, double[]> CovariatesAt(int from, int count, IEnumerable<string> columns) =>
        columns.ToDictionary(c => c, c => Covariates[c][from..(from + count)]);
}

/// <summary>Every series of a dataset on one shared grid: what Prepare writes and every candidate reads.</summary>
internal sealed record SeriesSet(SeriesFrequency Frequency, DateTime Anchor, IReadOnlyList<SeriesData> Series)
{
    public SeriesCalendar Calendar => new(Frequency, Anchor);
}
