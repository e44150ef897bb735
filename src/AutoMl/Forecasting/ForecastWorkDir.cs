using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// The files Prepare, RunCandidate and Finish share in a work directory: profile.json, series.json (every series on
/// its grid) and candidates/{id}/fold-{k}.json (a candidate's forecasts in one backtest fold).
/// </summary>
internal static class ForecastWorkDir
{
    /// <summary>Web defaults; a forecast that overflowed is written as "NaN" rather than failing the whole run.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ProfilePath(string dir) => Path.Combine(dir, "profile.json");
    public static string SeriesPath(string dir) => Path.Combine(dir, "series.json");
    public static string FoldPath(string dir, int candidateId, int fold) => Path.Combine(dir, "candidates", $"{candidateId}", $"fold-{fold}.json");

    public static ForecastProfile ReadProfile(string dir) => Read<ForecastProfile>(ProfilePath(dir), "Prepare");

    public static SeriesSet ReadSeries(string dir) => Read<SeriesSet>(SeriesPath(dir), "Prepare");

    public static FoldForecast ReadFold(string dir, int candidateId, int fold) => Read<FoldForecast>(FoldPath(dir, candidateId, fold), "RunCandidate");

    public static void Write<T>(string path, T value) => WorkDir.WriteAtomically(path, stream => JsonSerializer.Serialize(stream, value, Json));

    private static T Read<T>(string path, string step) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.")
            : throw new InvalidOperationException($"{Path.GetFileName(path)} is missing from the work directory; run {step} first.");
}
