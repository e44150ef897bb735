using System.Text.Json;
using Serverless.AutoMl.Forecasting;

namespace Serverless.AutoMl.Tests.Forecasting;

public sealed class ArimaTests
{
    private static readonly ArimaMethod Seasonal = new(MaxP: 1, MaxQ: 1, MaxSeasonalP: 1, MaxSeasonalQ: 1);

    [Fact]
    public void An_autoregression_of_order_one_is_recovered_with_its_coefficient()
    {
        var random = new Random(11);
        var y = new double[600];
        for (var t = 1; t < y.Length; t++) y[t] = 0.7 * y[t - 1] + SyntheticSeries.Gaussian(random);

        // An order of one against none: this sample's AICc would take a second, small coefficient (0.08) in a wider grid.
        var state = Arima.Fit(y, new ArimaMethod(MaxP: 1, MaxQ: 0, MaxSeasonalP: 0, MaxSeasonalQ: 0), period: 1);

        Assert.Equal("(1,0,0)", state.Orders);
        Assert.InRange(Assert.Single(state.Ar), 0.63, 0.77);
        Assert.Empty(state.Ma);
        // Forecasts decay toward the mean by the coefficient each step.
        var forecast = Arima.Forecast(state, 2);
        Assert.Equal(state.Constant + state.Ar[0] * y[^1], forecast[0], 9);
        Assert.Equal(state.Constant + state.Ar[0] * forecast[0], forecast[1], 9);
    }

    [Fact]
    public void A_pure_seasonal_pattern_is_seasonally_differenced_and_forecast_exactly()
    {
        double[] pattern = [5, 9, 14, 20, 26, 30, 31, 28, 22, 15, 9, 6];
        var y = Enumerable.Range(0, 8 * 12).Select(t => pattern[t % 12]).ToArray();

        var state = Arima.Fit(y, Seasonal, period: 12);

        Assert.Contains("(0,1,0)12", state.Orders);
        Assert.Equal(pattern.Concat(pattern[..6]), Arima.Forecast(state, 18).Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void A_trending_seasonal_series_is_forecast_close_to_its_continuation()
    {
        var random = new Random(5);
        double Value(int t) => 100 + 2 * t + 10 * Math.Sin(2 * Math.PI * (t % 12) / 12);
        var y = Enumerable.Range(0, 120).Select(t => Value(t) + 0.5 * SyntheticSeries.Gaussian(random)).ToArray();

        var forecast = Arima.Forecast(Arima.Fit(y, Seasonal, period: 12), 12);

        Assert.All(forecast.Select((f, h) => (Forecast: f, Truth: Value(120 + h))),
            p => Assert.True(Math.Abs(p.Forecast - p.Truth) < 3, $"{p.Forecast} vs {p.Truth}"));
    }

    [Fact]
    public void A_stored_state_restores_the_same_forecast()
    {
        var random = new Random(3);
        var y = Enumerable.Range(0, 150).Select(t => 50 + 0.3 * t + 8 * Math.Cos(2 * Math.PI * t / 12) + SyntheticSeries.Gaussian(random)).ToArray();
        var model = new ArimaForecaster(Seasonal, [Arima.Fit(y, Seasonal, period: 12)]);

        var json = JsonSerializer.Serialize(model.State, ForecastWorkDir.Json);
        var restored = ForecastModels.Restore(JsonSerializer.Deserialize<MemberState>(json, ForecastWorkDir.Json)!, null,
            new ForecastContext(new SeriesCalendar(SeriesFrequency.Monthly, new DateTime(2000, 1, 1)), 12, [null], [], [], Seed: 1));

        var history = new SeriesData(null, 0, y, new Dictionary<string, double[]>());
        Assert.Equal(model.Forecast(0, history, 12, new Dictionary<string, double[]>()), restored.Forecast(0, history, 12, new Dictionary<string, double[]>()));
    }

    [Fact]
    public void An_arima_candidate_travels_through_json_as_orchestration_history_carries_it()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var candidate = new ForecastCandidate(7, Seasonal);

        var json = JsonSerializer.Serialize(candidate, web);

        Assert.Contains("\"model\":\"arima\"", json);
        Assert.Equal(candidate, JsonSerializer.Deserialize<ForecastCandidate>(json, web));
    }

    [Fact]
    public async Task A_forecaster_package_with_an_arima_member_forecasts_as_it_did_before_it_was_written()
    {
        using var dir = new TempDir();
        var engine = new ForecastEngine();
        var work = dir.File("work");
        engine.Prepare(TestFiles.Data("air-passengers.csv"), new ForecastSpec(), work);
        var result = await new InProcessCandidateExecutor(engine, work).RunAsync([new ForecastCandidate(1, Seasonal)]);
        Assert.Equal(TrialStatus.Succeeded, Assert.Single(result).Status);

        var packagePath = dir.File("forecaster.zip");
        var card = engine.Finish(work, result, packagePath);

        Assert.Equal(Seasonal, Assert.Single(card.Members).Method);
        Assert.Equal(Assert.Single(card.SeriesSummaries).Forecast, Forecaster.Load(packagePath).Forecast(12).Points);
    }
}
