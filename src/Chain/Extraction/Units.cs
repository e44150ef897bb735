using System.Collections.Frozen;

namespace Serverless.Chain.Extraction;

/// <summary>What a quantity measures.</summary>
internal enum Dimension { Time, Distance, Money, Percent, Weight, Temperature, Volume }

/// <summary>A unit word and how many of its dimension's base unit it is (days, km, kg; 1 where nothing converts).</summary>
internal sealed record Unit(Dimension Dimension, double Factor);

/// <summary>Units after a number ("36 months", "10 km", "4.5 kg") and the column words that name each dimension.</summary>
internal static class Units
{
    private static readonly FrozenDictionary<string, Unit> ByStem = ByKey(new Dictionary<string, Unit>
    {
        ["second"] = new(Dimension.Time, 1 / 86400.0), ["minute"] = new(Dimension.Time, 1 / 1440.0),
        ["hour"] = new(Dimension.Time, 1 / 24.0), ["day"] = new(Dimension.Time, 1), ["week"] = new(Dimension.Time, 7),
        ["month"] = new(Dimension.Time, 30.4375), ["year"] = new(Dimension.Time, 365.25),
        ["km"] = new(Dimension.Distance, 1), ["kilometre"] = new(Dimension.Distance, 1), ["kilometer"] = new(Dimension.Distance, 1),
        ["mile"] = new(Dimension.Distance, 1.609344), ["metre"] = new(Dimension.Distance, 0.001), ["meter"] = new(Dimension.Distance, 0.001),
        ["m"] = new(Dimension.Distance, 0.001), ["cm"] = new(Dimension.Distance, 1e-5), ["centimetre"] = new(Dimension.Distance, 1e-5),
        ["mm"] = new(Dimension.Distance, 1e-6), ["millimetre"] = new(Dimension.Distance, 1e-6),
        ["kg"] = new(Dimension.Weight, 1), ["kilo"] = new(Dimension.Weight, 1), ["kilogram"] = new(Dimension.Weight, 1),
        ["g"] = new(Dimension.Weight, 0.001), ["gram"] = new(Dimension.Weight, 0.001), ["ton"] = new(Dimension.Weight, 1000),
        ["lb"] = new(Dimension.Weight, 0.45359237), ["pound"] = new(Dimension.Weight, 0.45359237),
        ["percent"] = new(Dimension.Percent, 1), ["percentage"] = new(Dimension.Percent, 1), ["pct"] = new(Dimension.Percent, 1),
        ["dollar"] = new(Dimension.Money, 1), ["euro"] = new(Dimension.Money, 1), ["usd"] = new(Dimension.Money, 1),
        ["eur"] = new(Dimension.Money, 1), ["buck"] = new(Dimension.Money, 1),
        ["litre"] = new(Dimension.Volume, 1), ["liter"] = new(Dimension.Volume, 1), ["millilitre"] = new(Dimension.Volume, 0.001),
        ["milliliter"] = new(Dimension.Volume, 0.001), ["gallon"] = new(Dimension.Volume, 3.785411784),
        ["degree"] = new(Dimension.Temperature, 1), ["celsius"] = new(Dimension.Temperature, 1), ["fahrenheit"] = new(Dimension.Temperature, 1),
    });

    /// <summary>Column words that say what a column measures, beyond the unit words themselves.</summary>
    private static readonly FrozenDictionary<string, Dimension[]> Naming = ByKey(new Dictionary<string, Dimension[]>
    {
        ["duration"] = [Dimension.Time], ["time"] = [Dimension.Time], ["period"] = [Dimension.Time], ["term"] = [Dimension.Time],
        ["age"] = [Dimension.Time], ["length"] = [Dimension.Time, Dimension.Distance],
        ["distance"] = [Dimension.Distance], ["far"] = [Dimension.Distance],
        ["amount"] = [Dimension.Money], ["price"] = [Dimension.Money], ["cost"] = [Dimension.Money], ["income"] = [Dimension.Money],
        ["salary"] = [Dimension.Money], ["wage"] = [Dimension.Money], ["pay"] = [Dimension.Money], ["charge"] = [Dimension.Money],
        ["fee"] = [Dimension.Money], ["balance"] = [Dimension.Money], ["loan"] = [Dimension.Money], ["credit"] = [Dimension.Money],
        ["debt"] = [Dimension.Money], ["revenue"] = [Dimension.Money], ["spend"] = [Dimension.Money], ["rent"] = [Dimension.Money],
        ["budget"] = [Dimension.Money], ["payment"] = [Dimension.Money], ["funded"] = [Dimension.Money], ["savings"] = [Dimension.Money],
        ["percent"] = [Dimension.Percent], ["percentage"] = [Dimension.Percent], ["rate"] = [Dimension.Percent],
        ["utilization"] = [Dimension.Percent], ["share"] = [Dimension.Percent], ["proportion"] = [Dimension.Percent],
        ["fraction"] = [Dimension.Percent], ["interest"] = [Dimension.Percent],
        ["weight"] = [Dimension.Weight], ["mass"] = [Dimension.Weight],
        ["temperature"] = [Dimension.Temperature], ["volume"] = [Dimension.Volume], ["displacement"] = [Dimension.Volume],
    });

    /// <summary>The unit a word's key (its stem) names, if any.</summary>
    public static Unit? Of(string stem) => ByStem.GetValueOrDefault(stem);

    /// <summary>
    /// The unit a column word implies without stating it: an age is counted in years unless the name says otherwise.
    /// Only used to doubt a number given in another unit ("36 months" is a duration sooner than an age), never to convert.
    /// </summary>
    public static Unit? Implied(string stem) => stem == Stemmer.Stem("age") ? Of("year") : null;

    /// <summary>A unit data seldom records a column in (weeks): a number in it says little about a column of unknown unit.</summary>
    public static bool SeldomCounted(Unit unit) => unit == Of("week");

    public static bool IsTimeUnit(string stem) => Of(stem)?.Dimension == Dimension.Time;

    /// <summary>The dimensions a column word names: its own unit's, or those of words such as "duration" or "price".</summary>
    public static IEnumerable<Dimension> Named(string stem) =>
        Of(stem) is { } unit ? [unit.Dimension] : Naming.GetValueOrDefault(stem) ?? [];

    /// <summary>The tables are written in words and looked up by the keys questions and names are read with.</summary>
    private static FrozenDictionary<string, T> ByKey<T>(Dictionary<string, T> byWord) =>
        byWord.ToDictionary(e => Stemmer.Stem(e.Key), e => e.Value).ToFrozenDictionary();
}
