using System.Globalization;
using Serverless.AutoMl.Forecasting;

namespace Serverless.Chain.Tests.Forecasting;

/// <summary>
/// Real forecasters, fitted once per test class by the forecasting engine with a fixed, cheap set of candidates (the
/// baselines and one ETS) instead of a timed search: the monthly airline series, and two series in long format made
/// from it (the second twice the first plus 10), named "North East" and "East", with a column known in advance
/// ("promo", 1 every December).
/// </summary>
public sealed class TrainedForecasters : IAsyncLifetime
{
    public const string Version = "v-test";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "chain-forecasts-" + Guid.NewGuid().ToString("N"));

    public ServedForecaster Airline { get; private set; } = null!;
    public ServedForecaster Regions { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var airline = Path.Combine(AppContext.BaseDirectory, "data", "air-passengers.csv");
        Airline = Train("airline", airline, new ForecastSpec { Horizon = 6 });
        Directory.CreateDirectory(_root);
        var regions = Path.Combine(_root, "regions.csv");
        var rows = File.ReadLines(airline).Skip(1).Select(line => line.Split(',')).ToList();
        string Promo(string[] row) => row[0].Contains("-12-", StringComparison.Ordinal) ? "1" : "0";
        File.WriteAllLines(regions, [
            "month,region,riders,promo",
            .. rows.Select(r => $"{r[0]},North East,{r[1]},{Promo(r)}"),
            .. rows.Select(r => $"{r[0]},East,{(2 * double.Parse(r[1], CultureInfo.InvariantCulture) + 10).ToString(CultureInfo.InvariantCulture)},{Promo(r)}"),
        ]);
        Regions = Train("regions", regions, new ForecastSpec { Horizon = 6, Target = "riders", SeriesColumn = "region", KnownColumns = ["promo"] });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private ServedForecaster Train(string dataset, string csv, ForecastSpec spec)
    {
        var workDir = Path.Combine(_root, dataset);
        var engine = new ForecastEngine();
        var profile = engine.Prepare(csv, spec with { Seed = 7 }, workDir);
        ForecastMethod[] methods =
        [
            new SeasonalNaiveMethod(profile.SeasonalPeriod), new SeasonalNaiveMethod(1),
            new ExponentialSmoothingMethod(TrendKind.Damped, SeasonKind.Multiplicative),
        ];
        var results = methods.Select((method, i) => engine.RunCandidate(workDir, new ForecastCandidate(i + 1, method))).ToList();
        var package = Path.Combine(workDir, "forecaster.zip");
        engine.Finish(workDir, results, package);
        return new ServedForecaster(dataset, Version, Forecaster.Load(package));
    }
}
