using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Serverless.Workflow.Runs;
using Xunit.Abstractions;

namespace Serverless.EndToEnd.Tests;

/// <summary>
/// Malformed files and requests, generated here (none is committed), each with the outcome it must get on the real
/// host: a readable reason in a run record, or a 4xx problem. Afterwards the host is up and a good upload still
/// trains: nothing one file or one request does may block the others.
/// </summary>
public sealed class AdversarialCorpusTests(PipelineFixture fixture, ITestOutputHelper output) : IClassFixture<PipelineFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("corpus-").FullName;
    private PipelineClient Client => fixture.Client;

    /// <summary>An upload that cannot train: the blob, its content, its metadata, and what its run's error must say.</summary>
    public sealed record BadFile(string Blob, byte[] Content, string Reason, Dictionary<string, string>? Metadata = null, string? Sidecar = null);

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static string Rows(int count, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, count).Select(row));

    public static TheoryData<string> FailingFiles() => new(Corpus.Keys);

    private static readonly Dictionary<string, BadFile> Corpus = new()
    {
        ["empty"] = new("corpus-empty/data.csv", [], "empty"),
        ["header only"] = new("corpus-header/data.csv", Text("a,b,c\n"), "rows"),
        ["single column"] = new("corpus-single/data.csv", Text("a\n" + Rows(30, i => $"{i}")), "single column"),
        ["binary garbage"] = new("corpus-binary/data.csv", [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251))], "row"),
        ["missing label"] = new("corpus-label/data.csv", Text("a,b\n" + Rows(30, i => $"{i},{i % 2}")), "'nope'",
            new() { ["label"] = "nope" }),
        ["negative budget"] = new("corpus-budget/data.csv", Text("a,b\n" + Rows(30, i => $"{i},{i % 2}")), "positive whole number",
            new() { ["budgetseconds"] = "-5" }),
        ["huge budget"] = new("corpus-huge-budget/data.csv", Text("a,b\n" + Rows(30, i => $"{i},{i % 2}")), "positive whole number",
            new() { ["budgetseconds"] = "99999999999" }),
        ["thousand parallel trials"] = new("corpus-parallel/data.csv", Text("a,b\n" + Rows(30, i => $"{i},{i % 2}")), "outside 1..64",
            new() { ["paralleltrials"] = "1000" }),
        ["null sidecar"] = new("corpus-sidecar/data.csv", Text("a,b\n" + Rows(30, i => $"{i},{i % 2}")), "not a valid spec", Sidecar: "null"),
        ["constant label"] = new("corpus-constant/data.csv", Text("a,b\n" + Rows(30, i => $"{i},1")), "single value"),
    };

    [Theory]
    [MemberData(nameof(FailingFiles))]
    public async Task A_file_that_cannot_train_fails_its_own_run_with_a_readable_reason(string name)
    {
        var file = Corpus[name];
        var dataset = file.Blob[..file.Blob.IndexOf('/')];
        if (file.Sidecar is { } sidecar)
            await Client.Container("datasets").GetBlobClient($"{dataset}/automl.json").UploadAsync(BinaryData.FromString(sidecar), overwrite: true);
        var local = Path.Combine(_folder, name.Replace(' ', '-'));
        await File.WriteAllBytesAsync(local, file.Content);
        await Client.UploadAsync(file.Blob, local, file.Metadata ?? new() { ["budgetseconds"] = "5" });

        var run = await Client.WaitForRunToEndAsync(await Client.WaitForSingleRunAsync(dataset, TimeSpan.FromSeconds(30)), TimeSpan.FromMinutes(3));
        output.WriteLine($"{name}: {run.Report?.Error}");

        Assert.Equal(RunStatus.Failed, run.Report?.Status);
        Assert.Contains(file.Reason, run.Report!.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", run.Report.Error);
        Assert.Null(await Client.ChampionAsync(dataset));
    }

    /// <summary>Files people really have: each must train, and its columns must keep their names and kinds.</summary>
    public static TheoryData<string> AwkwardFiles() => new(Awkward.Keys);

    private static readonly Dictionary<string, (string Blob, byte[] Content, string Column, string Kind)> Awkward = new()
    {
        // Windows-1252 (Latin-1) text without a byte-order mark: accents in the header and the values survive.
        ["latin-1"] = ("corpus-latin1/data.csv", Encoding.Latin1.GetBytes("Âge,région,y\n" + Rows(60, i => $"{20 + i},{(i % 3 == 0 ? "Île" : "Gâtinais")},{i % 2}")), "région", "categorical"),
        // Quoted thousands separators are numbers, not a thousand categories.
        ["thousands separators"] = ("corpus-thousands/data.csv", Text("amount,y\n" + Rows(60, i => $"\"{(1000 + i * 137).ToString("N0", CultureInfo.InvariantCulture)}\",{i % 2}")), "amount", "numeric"),
        // Semicolons, decimal commas, a UTF-8 byte-order mark and CRLF line ends.
        ["european excel"] = ("corpus-excel/data.csv", [.. Encoding.UTF8.GetPreamble(), .. Text("rate;y\r\n" + string.Join("\r\n", Enumerable.Range(0, 60).Select(i => $"{i},5;{i % 2}")))], "rate", "numeric"),
    };

    [Theory]
    [MemberData(nameof(AwkwardFiles))]
    public async Task An_awkward_but_valid_file_trains_and_keeps_its_columns(string name)
    {
        var (blob, content, column, kind) = Awkward[name];
        var dataset = blob[..blob.IndexOf('/')];
        var local = Path.Combine(_folder, name.Replace(' ', '-'));
        await File.WriteAllBytesAsync(local, content);
        await Client.UploadAsync(blob, local, new Dictionary<string, string> { ["label"] = "y", ["budgetseconds"] = "5" });

        var run = await Client.WaitForRunToEndAsync(await Client.WaitForSingleRunAsync(dataset, TimeSpan.FromSeconds(30)), TimeSpan.FromMinutes(3));
        output.WriteLine($"{name}: {run.Report?.Status} {run.Report?.Error}");
        Assert.Equal(RunStatus.Succeeded, run.Report?.Status);
        var models = await Client.Http.GetFromJsonAsync<JsonElement>($"api/models/{dataset}");
        output.WriteLine(models.ToString());
        var columns = models.GetProperty("versions")[0].GetProperty("schema").GetProperty("columns").EnumerateArray();
        Assert.Contains(columns, c => c.GetProperty("name").GetString() == column && c.GetProperty("kind").GetString() == kind);
    }

    [Theory]
    [InlineData("corpus-root.csv", "not under a dataset folder")]
    [InlineData("Corpus_Bad/data.csv", "lowercase")]
    [InlineData("corpus-parquet/data.parquet", "not a .csv")]
    public async Task An_upload_that_is_not_training_data_is_rejected_with_the_reason(string blob, string reason)
    {
        var local = Path.Combine(_folder, "rejected.csv");
        await File.WriteAllTextAsync(local, "a,b\n1,2\n");
        await Client.UploadAsync(blob, local, new Dictionary<string, string>());

        var record = await Eventually.GetAsync(async () =>
            (await Client.Http.GetFromJsonAsync<JsonElement>("api/runs")).GetProperty("runs").EnumerateArray()
                .Where(r => r.GetProperty("request").GetProperty("blobName").GetString() == blob).Select(r => r.GetRawText()).FirstOrDefault(),
            TimeSpan.FromSeconds(30), $"a record of {blob}");

        var run = JsonDocument.Parse(record).RootElement;
        Assert.Equal("rejected", run.GetProperty("status").GetString());
        Assert.Contains(reason, run.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Hostile_requests_get_problems_and_the_host_keeps_serving_the_others()
    {
        await Client.UploadAsync("corpus-good/data.csv", Path.Combine(AppContext.BaseDirectory, "data", "churn-small.csv"),
            new Dictionary<string, string> { ["label"] = "churn", ["budgetseconds"] = "5" });
        var good = await Client.WaitForRunToEndAsync(await Client.WaitForSingleRunAsync("corpus-good", TimeSpan.FromSeconds(30)), TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, good.Report?.Status);
        const string Invoke = "api/chain/corpus-good/invoke";

        // A question just under the body limit is read up to its length limit and answered, saying what it left out.
        var longQuestion = await Client.Http.PostAsJsonAsync(Invoke, new { question = "tenure 3 " + new string('a', 1000 * 1000) });
        Assert.Equal(HttpStatusCode.OK, longQuestion.StatusCode);
        Assert.NotEmpty((await longQuestion.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("output").GetProperty("warnings").EnumerateArray());
        var tooBig = new StringContent("{\"question\": \"" + new string('a', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Client.Http.PostAsync(Invoke, tooBig)).StatusCode);
        foreach (var number in new[] { "1e400", "\"Infinity\"", "\"NaN\"" })
            Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.PostAsync(Invoke,
                new StringContent($"{{\"input\": {{\"tenure\": {number}}}}}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.PostAsync(Invoke, new StringContent("{\"input\": ", Encoding.UTF8, "application/json"))).StatusCode);
        var crossOrigin = new HttpRequestMessage(HttpMethod.Post, "api/models/corpus-good/rollback") { Content = new StringContent("", Encoding.UTF8, "text/plain") };
        crossOrigin.Headers.Add("Origin", "http://attacker.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await Client.Http.SendAsync(crossOrigin)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.Http.GetAsync("api/runs?dataset=..%2Fmodels")).StatusCode);

        // The model still answers, and the host is up.
        Assert.Equal(HttpStatusCode.OK, (await Client.Http.PostAsJsonAsync(Invoke, new { input = new { tenure = 3 } })).StatusCode);
        Assert.False(fixture.Host.HasExited);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
