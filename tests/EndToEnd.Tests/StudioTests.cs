using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Serverless.AutoMl;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// The Studio in a real browser against the real local host (Azurite, DTFx, ML.NET): what a person does from a CSV to
/// an answered question, without a terminal.
/// </summary>
public sealed class StudioTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>
{
    private const string Dataset = "studio-churn";
    private static readonly TimeSpan Training = TimeSpan.FromMinutes(3);
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    [Fact]
    public async Task A_csv_uploaded_in_the_studio_trains_a_model_whose_card_and_playground_answer()
    {
        using var browser = new StudioBrowser(fixture.Host.BaseAddress);
        browser.Open("");

        // Upload: the page reads the header and proposes what the engine would infer; the person picks the label.
        Assert.StartsWith("Drop a CSV file here", (await browser.WaitForAsync(".drop-zone")).Text);
        browser.All("#file-input").Single().SendKeys(Data("churn-small.csv"));
        var label = await browser.WaitForAsync("#label-column");
        Assert.Equal("total_charges", label.GetAttribute("value"));
        Assert.Equal("churn-small", browser.All("#dataset-name").Single().GetAttribute("value"));
        Assert.Equal(20, browser.All(".preview thead th").Count);
        browser.Click("#label-column option[value='churn']");
        Assert.Equal("Automatic: binary", browser.All("#task option").First().Text);
        Assert.Contains(browser.All("#metric option"), o => o.Text == "Default (auc)");
        browser.Type("#dataset-name", Dataset);
        browser.Type("#budget", "5");
        browser.Click("form.upload-form button[type=submit]");

        // The run: progress while it searches, then the outcome, the chart of every trial and the leaderboard.
        await browser.UntilAsync(() => browser.Driver.Url.Contains("#/runs/", StringComparison.Ordinal) ? "run" : null, null, "the run page");
        await browser.WaitForAsync(".stepper li.current");
        await browser.WaitForAsync(".stats");
        var runId = browser.Driver.Url.Split("#/runs/")[1];
        Assert.Equal("churn", (await fixture.Client.RunRequestAsync(runId))?.Spec.Label);
        await browser.WaitForAsync(".notice.success", Training);
        Assert.True(browser.All("svg.xy .series .point").Count >= 2, "every trial is a point on the search chart");
        Assert.Single(browser.All("svg.xy path.series-line"));
        Assert.True(browser.All("table.leaderboard tbody tr").Count >= 2);
        Assert.Equal(4, browser.All(".stepper li.complete").Count);
        output.WriteLine(browser.Screenshot("studio-run"));

        // The model card: metrics, out-of-fold diagnostics, importance, versions.
        browser.Click(".notice.success a.button.primary");
        await browser.WaitForAsync(".model-card");
        Assert.Equal(2, browser.All("table.matrix tbody tr").Count);
        Assert.Single(browser.All("svg[aria-label^='ROC curve']"));
        Assert.True(browser.All(".importance .bar").Count >= 3);
        Assert.Contains("auc (optimized)", browser.All("table.metrics").Single().Text);
        Assert.Single(browser.All("table.versions tbody tr"));
        Assert.Single(browser.All("table.versions .badge.live"));
        output.WriteLine(browser.Screenshot("studio-model"));

        // The playground: a form with a field per input column of the schema, and a question answered as a stream.
        browser.Click("nav.tabs a[href$='/playground']");
        await browser.WaitForAsync("#question");
        var schema = await fixture.Client.Http.GetFromJsonAsync<JsonElement>($"api/chain/{Dataset}/input_schema");
        var columns = schema.GetProperty("properties").GetProperty("input").GetProperty("oneOf")[0].GetProperty("properties").EnumerateObject().Count();
        Assert.Equal(columns, browser.All(".record-fields .field").Count);
        const string Question = "Would a customer on a month-to-month contract paying 95 a month with 2 months of tenure churn?";
        browser.Type("#question", Question);
        browser.Click("form.question button[type=submit]");
        var prediction = await browser.WaitForAsync(".answer .prediction strong");
        Assert.Contains(prediction.Text, new[] { "Yes", "No" });
        await browser.UntilAsync(() => browser.All(".answer .steps li.complete").Count == 5 ? "all steps" : null, null, "the five chain steps");
        Assert.True(browser.All(".answer .bars .bar").Count >= 2, "class probabilities and factors are drawn as bars");
        var curl = browser.All(".answer .curl pre").Single().Text;
        Assert.Contains($"/api/chain/{Dataset}/stream", curl);
        Assert.Contains("month-to-month contract", curl);
        output.WriteLine(browser.Screenshot("studio-playground"));

        browser.Type("#field-tenure", "70");
        browser.Click("form.record button[type=submit]");
        await browser.UntilAsync(() => browser.All(".answer details summary").FirstOrDefault(s => s.Text.StartsWith("Assumed", StringComparison.Ordinal)), null, "an answer to the record");
        Assert.Contains("\"tenure\":70", browser.All(".answer .curl pre").Single().Text);

        // A second version, then promote and roll back from the versions table.
        var retrain = await fixture.Client.Http.PostAsync($"api/datasets/{Dataset}/retrain", null);
        var retrainRun = (await retrain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetString()!;
        await fixture.Client.WaitForRunToEndAsync(retrainRun, Training);
        browser.Open($"#/datasets/{Dataset}");
        await browser.UntilAsync(() => browser.All("table.versions tbody tr").Count == 2 ? "two versions" : null, null, "two versions");
        var live = LiveVersion(browser);
        browser.Click("table.versions button");
        await browser.UntilAsync(() => LiveVersion(browser) is { } now && now != live ? now : null, null, "the promoted version to be live");
        Assert.Equal(LiveVersion(browser), (await fixture.Client.ChampionAsync(Dataset))?.Version);
        browser.Click("button.rollback");
        await browser.UntilAsync(() => LiveVersion(browser) == live ? live : null, null, "the rollback");
        Assert.Equal(live, (await fixture.Client.ChampionAsync(Dataset))?.Version);
        Assert.Empty(browser.ConsoleErrors());
    }

    [Fact]
    public async Task A_series_uploaded_in_the_studio_as_a_forecast_gets_a_backtested_forecaster_whose_page_and_playground_forecast()
    {
        const string Forecasts = "studio-shop-sales";
        using var browser = new StudioBrowser(fixture.Host.BaseAddress);
        browser.Open("");

        // Upload: the forecast is chosen, never proposed; its settings are proposed from the header and first rows.
        browser.All("#file-input").Single().SendKeys(Data("shop-sales.csv"));
        await browser.WaitForAsync("#label-column");
        Assert.Empty(browser.All("#time-column"));
        browser.Click("#task option[value='forecast']");
        await browser.WaitForAsync("#time-column");
        Assert.Equal(("sold", "date", "shop"), (Value(browser, "#label-column"), Value(browser, "#time-column"), Value(browser, "#series-column")));
        Assert.Equal(["ads"], browser.All(".known-columns input[type=checkbox]").Select(c => c.GetAttribute("value")));
        Assert.Equal(["Default (mase)", "mase"], browser.All("#metric option").Select(o => o.Text));
        browser.Click(".known-columns input[value='ads']");
        browser.Type("#horizon", "6");
        browser.Type("#dataset-name", Forecasts);
        browser.Type("#budget", "8");
        output.WriteLine(browser.Screenshot("studio-upload-forecast"));
        browser.Click("form.upload-form button[type=submit]");

        // The run: candidates and their backtest folds, then the leaderboard of methods.
        await browser.UntilAsync(() => browser.Driver.Url.Contains("#/runs/", StringComparison.Ordinal) ? "run" : null, null, "the run page");
        var spec = (await fixture.Client.RunRequestAsync(browser.Driver.Url.Split("#/runs/")[1]))!.Spec;
        Assert.Equal((MlTask.Forecast, "sold", "date", 6, "shop", 8), (spec.Task, spec.Label, spec.TimeColumn, spec.Horizon, spec.SeriesColumn, spec.BudgetSeconds));
        Assert.Equal(["ads"], spec.KnownColumns);
        await browser.WaitForAsync(".notice.success", Training);
        Assert.Contains("Backtest folds run", browser.All(".stats").Single().Text);
        Assert.Equal("Method", browser.All("table.leaderboard thead th")[2].Text);
        Assert.True(browser.All("table.leaderboard tbody tr").Count >= 2);

        // The model page: the backtest with MASE, interval coverage, the chosen method, the series read, and the chart.
        browser.Click(".notice.success a.button.primary");
        await browser.WaitForAsync(".forecast-card");
        Assert.StartsWith("MASE (optimized)", browser.All("table.backtest tr[data-metric=mase]").Single().Text);
        Assert.Contains("80% interval held", browser.All(".coverage").Single().Text);
        Assert.StartsWith("Chosen:", browser.All(".forecast-card .chosen").Single().Text);
        Assert.Equal(2, browser.All("table.series-report tbody tr").Count);
        Assert.Equal(2, browser.All(".series-chart svg.xy path.band").Count);
        Assert.Equal(6, browser.All(".series-chart svg.xy .series .point").Count);
        browser.Click("#chart-series option[value='1']");
        await browser.UntilAsync(() => browser.All(".series-chart svg.xy").SingleOrDefault(c => c.GetAttribute("aria-label")?.StartsWith("sold of west", StringComparison.Ordinal) == true), null, "the chart of the second series");
        output.WriteLine(browser.Screenshot("studio-model-forecast"));

        // The playground: horizon, series and the known column's future values, answered with the forecast table.
        browser.Click("nav.tabs a[href$='/playground']");
        browser.Type(await browser.WaitForAsync("#field-horizon"), "4");
        browser.Click("#field-series option[value='east']");
        browser.Type("#field-ads", "1, 0, 0, 1");
        browser.Click("form.forecast-form button[type=submit]");
        await browser.UntilAsync(() => browser.All(".answer .steps li.complete").Count == 3 ? "all steps" : null, null, "the three chain steps");
        var rows = browser.All(".answer table.forecast-table tbody tr").Select(r => r.FindElements(By.CssSelector("th, td")).Select(c => c.Text).ToList()).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, row =>
        {
            var (forecast, lo80, hi80, lo95, hi95) = (Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), Number(row[5]));
            Assert.True(lo95 <= lo80 && lo80 <= forecast && forecast <= hi80 && hi80 <= hi95, string.Join(" ", row));
        });
        Assert.Equal(["Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024"], rows.Select(r => r[0]));
        Assert.Single(browser.All(".answer svg.xy"));
        Assert.Contains("\"ads\":[1,0,0,1]", browser.All(".answer .curl pre").Single().Text);
        output.WriteLine(browser.Screenshot("studio-playground-forecast"));

        // A question names the span and the series.
        browser.Type("#question", "What will sold be for west over the next 3 months?");
        browser.Click("form.question button[type=submit]");
        await browser.UntilAsync(() => browser.All(".answer table.forecast-table tbody tr").Count == 3 ? "three rows" : null, null, "the forecast of 3 months");
        Assert.Contains("for west", browser.All(".answer .prediction").Single().Text);
        Assert.Empty(browser.All("#datasets .badge.running"));
        Assert.Empty(browser.ConsoleErrors());
    }

    private static string Value(StudioBrowser browser, string css) => browser.All(css).Single().GetAttribute("value") ?? "";

    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static string? LiveVersion(StudioBrowser browser) =>
        browser.All("table.versions tbody tr").FirstOrDefault(r => r.FindElements(By.CssSelector(".badge.live")).Count > 0)
            ?.FindElement(By.CssSelector("th a")).Text;
}

/// <summary>The Studio on a host that wants an API key and takes small uploads: it asks once, and shows refusals readably.</summary>
public sealed class StudioAccessTests(KeyedHostFixture fixture) : IClassFixture<KeyedHostFixture>
{
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    [Fact]
    public async Task The_studio_asks_for_the_key_once_and_shows_refusals_and_failures_readably()
    {
        using var browser = new StudioBrowser(fixture.Host.BaseAddress);
        browser.Open("");

        await browser.WaitForAsync("#key-dialog[open]");
        browser.Type("#key-input", "wrong");
        browser.Click("#key-dialog button[value=ok]");
        await browser.WaitForAsync("#key-dialog[open] .refused");
        browser.Type("#key-input", KeyedHostFixture.Key);
        browser.Click("#key-dialog button[value=ok]");
        await browser.UntilAsync(() => browser.All("#datasets li").FirstOrDefault(li => li.Text.StartsWith("None yet", StringComparison.Ordinal)), null, "the datasets list");

        // The key is kept for the tab: a reload asks nothing.
        browser.Driver.Navigate().Refresh();
        await browser.UntilAsync(() => browser.All("#datasets li").FirstOrDefault(li => li.Text.StartsWith("None yet", StringComparison.Ordinal)), null, "the datasets list after a reload");
        Assert.Empty(browser.All("#key-dialog[open]"));

        // Over the host's upload limit: the 413 problem, in words.
        browser.All("#file-input").Single().SendKeys(Data("churn-small.csv"));
        await browser.WaitForAsync("#label-column");
        browser.Click("form.upload-form button[type=submit]");
        var refused = await browser.WaitForAsync(".upload-result .notice.error");
        Assert.StartsWith("File too large", refused.Text);
        Assert.Contains($"at most {KeyedHostFixture.MaxUploadBytes:N0} bytes", refused.Text);

        // A file the engine cannot read: the run fails at profiling and says why.
        browser.Open("");
        browser.All("#file-input").Single().SendKeys(Data("broken.csv"));
        await browser.WaitForAsync("#label-column");
        browser.Click("form.upload-form button[type=submit]");
        var failure = await browser.WaitForAsync(".run .notice.error", TimeSpan.FromMinutes(2));
        Assert.StartsWith("Training failed:", failure.Text);
        Assert.Contains("profiling – failed", browser.All(".stepper li.failed").Single().Text);
    }
}
