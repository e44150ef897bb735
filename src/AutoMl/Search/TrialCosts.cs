using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// What a trial is expected to cost, from the trials that came back (a pure function of them): the search loop fills
/// a remote call's bundle by it. A measured learner's trial costs its learner's mean; a learner not measured yet is
/// estimated, conservatively, from the slowest measured learner; before any trial came back nothing is known.
/// </summary>
internal sealed class TrialCosts(DatasetProfile profile)
{
    /// <summary>
    /// A learner's first trial is taken to cost this many times the slowest measured learner's mean trial (per row,
    /// never scaled down). First trials are cheap starts (a few small trees, a linear fit); on the shared samples one
    /// cost at most 5.5× another learner's first trial, so an estimate this high keeps an expensive first trial out of
    /// a bundle of cheap ones.
    /// </summary>
    public const double UnmeasuredFactor = 6;

    private readonly Dictionary<string, (double Seconds, double Rows, int Trials)> _measured = [];

    public void Add(TrialResult result)
    {
        var sum = _measured.GetValueOrDefault(result.Learner);
        _measured[result.Learner] = (sum.Seconds + result.Seconds, sum.Rows + Rows(result.Params), sum.Trials + 1);
    }

    /// <summary>Expected seconds of a trial; infinite while no trial has come back.</summary>
    public double Seconds(TrialConfig config)
    {
        if (_measured.TryGetValue(config.Learner, out var own))
            return own.Seconds / own.Trials;
        if (_measured.Count == 0)
            return double.PositiveInfinity;
        var rows = Rows(config.Params);
        return UnmeasuredFactor * _measured.Values.Max(m => m.Seconds / m.Trials * Math.Max(1, rows / (m.Rows / m.Trials)));
    }

    private double Rows(IReadOnlyDictionary<string, double> hp) => DataChoices.SampleRowsOf(profile, hp);
}
