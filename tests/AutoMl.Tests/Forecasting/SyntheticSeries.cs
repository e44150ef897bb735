using System.Globalization;
using System.Text;

namespace Serverless.AutoMl.Tests.Forecasting;

/// <summary>Series made up for tests, written as CSV files: seeded, so every run sees the same numbers.</summary>
internal static class SyntheticSeries
{
    /// <summary>A daily series: level + slope·t + a weekly pattern + Gaussian noise, with a known event column.</summary>
    public static string Daily(TempDir dir, string name, int days, double noise, int seed, double slope = 0.05, string? seriesId = null)
    {
        var random = new Random(seed);
        var rows = new StringBuilder("day,store,event,temperature,sales\n");
        var start = new DateTime(2020, 1, 6);
        for (var t = 0; t < days; t++)
        {
            var date = start.AddDays(t);
            var weekly = new[] { 0, 2, 3, 3, 5, 9, 6 }[(int)date.DayOfWeek];
            var promotion = t % 11 == 3 ? 1 : 0;
            var value = 50 + slope * t + weekly + 15 * promotion + noise * Gaussian(random);
            rows.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{seriesId ?? "a"},{promotion},{20 + 5 * Gaussian(random):0.##},{value:0.###}\n");
        }
        return dir.Write(name, rows.ToString());
    }

    /// <summary>Independent Gaussian values: nothing about the future can be learned from the past.</summary>
    public static double[] WhiteNoise(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => 100 + 10 * Gaussian(random))];
    }

    public static string Monthly(TempDir dir, string name, IReadOnlyList<double> values)
    {
        var rows = new StringBuilder("month,value\n");
        for (var t = 0; t < values.Count; t++)
            rows.Append(CultureInfo.InvariantCulture, $"{new DateTime(2000, 1, 1).AddMonths(t):yyyy-MM-dd},{values[t]:R}\n");
        return dir.Write(name, rows.ToString());
    }

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
