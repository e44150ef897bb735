using Serverless.AutoMl.Data;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>
/// What a trial is expected to cost, from the profile and the trials that came back (a pure function of them): the
/// search loop fills a remote call's bundle by it. A measured learner's trial costs its learner's mean; a learner not
/// measured yet is estimated, conservatively, from the slowest measured learner; before any trial came back, from the
/// cost model's reference trial on the trial's rows, with the same margin.
/// </summary>
internal sealed class TrialCosts(DatasetProfile profile)
{
    /// <summary>
    /// A learner's first trial is taken to cost this many times the slowest measured learner's mean trial (per row,
    /// never scaled down). First trials are cheap starts (a few small trees, a linear fit); on the shared samples one
    /// cost at most 5.5× another learner's first trial, so an estimate this high keeps an expensive first trial out of
    /// a bundle of cheap ones. Before any trial came back a trial is taken at this many times the cost model's
    /// reference trial on its rows (<see cref="CostModel.ReferenceTrialSeconds"/>), which counts LightGBM's fitting
    /// only: those first trials took 1.2-4× it on telco-sized data and 2-11× on adult-sized data, where 6× the reference
    /// (3.2 s, 4.4 s) is over half a bundle's 4 s at most, so each goes alone; on a few hundred rows, where a trial's fixed
    /// costs (its context, reading the folds) dominate, warm trials take 2-20× it, and a first bundle is bounded by the
    /// limit of trials per bundle and by a fixed list's split over the calls.
    /// </summary>
    public const double UnmeasuredFactor = 6;

    private readonly Dictionary<string, (double Seconds, double Rows, int Trials)> _measured = [];

    public void Add(TrialResult result)
    {
        var sum = _measured.GetValueOrDefault(result.Learner);
        _measured[result.Learner] = (sum.Seconds + result.Seconds, sum.Rows + Rows(result.Params), sum.Trials + 1);
    }

    /// <summary>Expected seconds of a trial.</summary>
    public double Seconds(TrialConfig config)
    {
        if (_measured.TryGetValue(config.Learner, out var own))
            return own.Seconds / own.Trials;
        var rows = Rows(config.Params);
        if (_measured.Count == 0)
            return UnmeasuredFactor * CostModel.ReferenceTrialSeconds(profile, rows);
        return UnmeasuredFactor * _measured.Values.Max(m => m.Seconds / m.Trials * Math.Max(1, rows / (m.Rows / m.Trials)));
    }

    private int Rows(IReadOnlyDictionary<string, double> hp) => DataChoices.SampleRowsOf(profile, hp);
}
