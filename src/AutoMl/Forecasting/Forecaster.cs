namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// A loaded forecaster package: forecasts the next steps of a series it was trained on, with 80% and 95% intervals.
/// Thread-safe. Invalid requests throw InvalidRecordException naming the offending input ("steps", "series" or a
/// known column), so callers can answer them as bad requests.
/// </summary>
public sealed class Forecaster
{
    /// <summary>Forecasts beyond this many horizons are refused: they would say nothing the data supports.</summary>
    public const int MaxHorizons = 10;

    private readonly ForecastManifest _manifest;
    private readonly ForecastContext _context;
    private readonly IReadOnlyList<(double Weight, IFittedForecaster Model)> _members;

    private Forecaster(ForecastPackage package)
    {
        Card = package.Card;
        _manifest = package.Manifest;
        _context = _manifest.Context;
        _members = [.. _manifest.Members.Select(m =>
            (m.Weight, ForecastModels.Restore(m.State, package.Models.GetValueOrDefault(m.CandidateId), _context)))];
    }

    public ForecastCard Card { get; }

    public static Forecaster Load(string path) => new(ForecastPackage.Read(path));

    /// <summary>A forecaster from a package not yet written (Finish forecasts with it for the card).</summary>
    internal static Forecaster From(ForecastPackage package) => new(package);

    /// <summary>Whether the zip at path is a forecaster package (rather than another kind of model).</summary>
    public static bool IsPackage(string path) => ForecastPackage.IsPackage(path);

    /// <summary>
    /// The next steps after the series' last timestamp. series names one of the card's series (optional when there is
    /// one); knownFuture gives known columns' values step by step (a column or steps left out repeat the column's value
    /// one season earlier, with a warning). Steps beyond the horizon are forecast recursively, with a warning.
    /// </summary>
    public SeriesForecast Forecast(int steps, string? series = null, IReadOnlyDictionary<string, IReadOnlyList<double>>? knownFuture = null)
    {
        var horizon = _manifest.Horizon;
        if (steps < 1 || steps > MaxHorizons * horizon)
            throw new InvalidRecordException($"Steps must be between 1 and {MaxHorizons * horizon} (the horizon is {horizon}); got {steps}.", ["steps"]);
        var index = SeriesIndex(series);
        var history = _manifest.History[index];
        var warnings = new List<string>();
        if (steps > horizon)
            warnings.Add($"Steps {horizon + 1} to {steps} are beyond the backtested horizon of {horizon}: forecast recursively, " +
                         "with intervals widened by the square root of the step and not measured.");
        var known = KnownValues(history, steps, knownFuture ?? new Dictionary<string, IReadOnlyList<double>>(), warnings);
        var forecast = new double[steps];
        foreach (var (weight, model) in _members)
        {
            var values = model.Forecast(index, history, steps, known);
            for (var h = 0; h < steps; h++) forecast[h] += weight * values[h];
        }
        var calendar = _context.Calendar;
        var last = history.StartIndex + history.Length - 1;
        var points = forecast.Select((value, h) =>
        {
            var (lo80, hi80, lo95, hi95) = _manifest.Intervals.Around(value, h + 1, _manifest.LocalScales[index]);
            return new ForecastPoint(calendar.Time(last + h + 1), value, lo80, hi80, lo95, hi95);
        }).ToList();
        return new SeriesForecast { Series = history.Id, Points = points, Warnings = warnings };
    }

    private int SeriesIndex(string? series)
    {
        var ids = _manifest.History.Select(h => h.Id).ToList();
        if (series is null)
            return ids.Count == 1 ? 0 : throw new InvalidRecordException($"Name the series to forecast: one of {string.Join(", ", ids)}.", ["series"]);
        var index = ids.FindIndex(id => string.Equals(id, series, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : throw new InvalidRecordException(
            ids.Count == 1 && ids[0] is null
                ? $"This forecaster has a single series; '{series}' is not one of its names."
                : $"No series '{series}'; the series are {string.Join(", ", ids)}.", ["series"]);
    }

    private Dictionary<string, double[]> KnownValues(SeriesData history, int steps, IReadOnlyDictionary<string, IReadOnlyList<double>> supplied, List<string> warnings)
    {
        var unknown = supplied.Keys.Where(k => !_manifest.Known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new InvalidRecordException(
                $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a known-in-advance column" : "are not known-in-advance columns")}" +
                $" of this forecaster{(_manifest.Known.Count > 0 ? $" (those are {string.Join(", ", _manifest.Known)})" : "")}.", unknown);
        var invalid = supplied.Where(k => k.Value.Any(v => !double.IsFinite(v))).Select(k => k.Key).ToList();
        if (invalid.Count > 0) throw new InvalidRecordException($"{string.Join(", ", invalid)} must hold finite numbers.", invalid);
        var values = new Dictionary<string, double[]>();
        foreach (var column in _manifest.Known)
        {
            var given = supplied.FirstOrDefault(k => string.Equals(k.Key, column, StringComparison.OrdinalIgnoreCase)).Value ?? [];
            var past = history.Covariates[column];
            var filled = Enumerable.Range(1, steps)
                .Select(h => h <= given.Count ? given[h - 1] : ForecastModels.SeasonalNaive(past, _context.Period, h)).ToArray();
            values[column] = filled;
            if (given.Count < steps)
                warnings.Add($"'{column}' was {(given.Count == 0 ? "not supplied" : $"supplied for {given.Count} of {steps} steps")}: " +
                             "the missing steps repeat its value one season earlier.");
        }
        return values;
    }
}
