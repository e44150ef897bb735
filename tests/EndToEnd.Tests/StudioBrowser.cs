using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Serverless.Tests.Shared;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Debian's headless Chromium driven through its chromedriver (ensure_tools in scripts/common.sh installs both), with a
/// fresh profile and everything that would call out to the network turned off.
/// </summary>
internal sealed class StudioBrowser : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private static readonly Size LaptopScreen = new(1366, 900);
    private readonly string _profile = Directory.CreateTempSubdirectory("studio-chromium-").FullName;
    private readonly Uri _studio;

    public ChromeDriver Driver { get; }

    public StudioBrowser(Uri studio)
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
            throw new InvalidOperationException($"{Chromium} and {ChromeDriver} are needed: ./test.sh installs them (apt-get install chromium chromium-driver).");
        _studio = studio;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions", "--lang=en-US",
            $"--user-data-dir={_profile}", $"--window-size={LaptopScreen.Width},{LaptopScreen.Height}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Opens the Studio at a page of its own (a hash route such as "#/datasets/x", or "" for the start).</summary>
    public void Open(string route) => Driver.Navigate().GoToUrl(new Uri(_studio, route));

    public IReadOnlyList<IWebElement> All(string css) => Driver.FindElements(By.CssSelector(css));

    /// <summary>Waits for a displayed element; a timeout says what the page showed and logged instead.</summary>
    public Task<IWebElement> WaitForAsync(string css, TimeSpan? timeout = null) =>
        UntilAsync(() => All(css).FirstOrDefault(e => e.Displayed), timeout, css);

    /// <summary>Polls <paramref name="probe"/> until it gives a value; elements replaced while probing count as not yet.</summary>
    public async Task<T> UntilAsync<T>(Func<T?> probe, TimeSpan? timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            try
            {
                if (probe() is { } value) return value;
            }
            catch (StaleElementReferenceException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.\n{PageReport()}");
            await Task.Delay(200);
        }
    }

    public void Click(string css) => All(css).First(e => e.Displayed).Click();

    public void Type(string css, string text) => Type(All(css).First(e => e.Displayed), text);

    public void Type(IWebElement input, string text)
    {
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Errors the page logged (failed requests, script errors).</summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();

    /// <summary>
    /// A PNG of the whole page at laptop width, in artifacts/screenshots/ (docs/ keeps the copies the README shows).
    /// </summary>
    public string Screenshot(string name)
    {
        var height = Convert.ToInt32(Driver.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight)"));
        Driver.Manage().Window.Size = LaptopScreen with { Height = Math.Max(LaptopScreen.Height, height + 140) };
        var folder = Directory.CreateDirectory(Path.Combine(Repo.Root, "artifacts", "screenshots")).FullName;
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Driver.Manage().Window.Size = LaptopScreen;
        return path;
    }

    private string PageReport()
    {
        try
        {
            return $"URL: {Driver.Url}\nPage: {Driver.FindElement(By.TagName("main")).Text}\nConsole: {string.Join("\n", ConsoleErrors())}";
        }
        catch (WebDriverException e)
        {
            return $"(the page could not be read: {e.Message})";
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { /* Chromium may still be writing its profile while it exits: a leftover temp folder is harmless */ }
    }
}
