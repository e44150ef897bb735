using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Search;

/// <summary>Maps a learner's hyperparameters to the unit cube the local search moves in (log ranges on a log scale).</summary>
internal static class SearchSpace
{
    public static double ToUnit(HyperParameter h, double value) => h.Log
        ? (Math.Log(value) - Math.Log(h.Low)) / (Math.Log(h.High) - Math.Log(h.Low))
        : (value - h.Low) / (h.High - h.Low);

    public static double FromUnit(HyperParameter h, double unit)
    {
        var u = Math.Clamp(unit, 0, 1);
        return h.Clamp(h.Log ? Math.Exp(Math.Log(h.Low) + u * (Math.Log(h.High) - Math.Log(h.Low))) : h.Low + u * (h.High - h.Low));
    }

    /// <summary>A random unit vector; the seed fully determines it.</summary>
    public static double[] Direction(int dimensions, int seed)
    {
        var random = new Random(seed);
        var vector = Enumerable.Range(0, dimensions).Select(_ => Gaussian(random)).ToArray();
        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / Math.Max(norm, 1e-12)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A hash that, unlike string.GetHashCode, is the same in every process (replays must agree).</summary>
    public static int StableHash(params object[] parts)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var ch in string.Join('|', parts)) hash = (hash ^ ch) * 16777619;
            return hash & int.MaxValue;
        }
    }
}
