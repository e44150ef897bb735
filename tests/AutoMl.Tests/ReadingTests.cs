using System.Text;
using Serverless.AutoMl.Data;

namespace Serverless.AutoMl.Tests;

/// <summary>Files as users upload them: other encodings, formatted numbers, stray quotes, more rows than needed.</summary>
public sealed class ReadingTests
{
    private static DatasetProfile Prepare(string path, TrainingSpec? spec = null, AutoMlOptions? options = null)
    {
        using var dir = new TempDir();
        return new AutoMlEngine(options).Prepare(path, spec ?? new TrainingSpec(), dir.Path);
    }

    private static string Rows(int count, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, count).Select(row)) + "\n";

    [Fact]
    public void Latin1_file_is_decoded_not_mangled()
    {
        using var dir = new TempDir();
        var text = "Âge,ville,label\n" + Rows(60, i => $"{20 + i % 40},{(i % 3 == 0 ? "Montréal" : i % 3 == 1 ? "Québec" : "Lévis")},{i % 2}");
        var path = dir.File("latin1.csv");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(text));

        var profile = Prepare(path);

        Assert.Equal("windows-1252", profile.Encoding);
        Assert.Contains(profile.Columns, c => c.Name == "Âge");
        var city = profile.Schema.Columns.Single(c => c.Name == "ville");
        Assert.Equal(["Lévis", "Montréal", "Québec"], city.Values!.Order(StringComparer.Ordinal));
        Assert.Contains(profile.Notes, n => n.Contains("windows-1252"));
    }

    [Fact]
    public void Time_the_host_spent_before_prepare_counts_against_the_budget()
    {
        using var dir = new TempDir();
        var path = dir.Write("data.csv", "x,label\n" + Rows(60, i => $"{i},{i % 2}"));
        var budgetStartedAt = DateTime.UtcNow.AddSeconds(-20);

        var profile = new AutoMlEngine().Prepare([path], new TrainingSpec { BudgetSeconds = 60 }, dir.Path, budgetStartedAt);

        Assert.Equal(budgetStartedAt, profile.StartedAtUtc);
        Assert.InRange(profile.PrepareSeconds, 20, 59);
        Assert.True(profile.TrialTimeoutSeconds <= 0.25 * (60 - 20), $"trial timeout {profile.TrialTimeoutSeconds} s");
    }

    [Fact]
    public void Utf8_file_stays_utf8()
    {
        using var dir = new TempDir();
        var path = dir.Write("utf8.csv", "Âge,ville,label\n" + Rows(30, i => $"{20 + i},Montréal{i % 3},{i % 2}"));
        Assert.Equal("utf-8", Prepare(path).Encoding);
    }

    [Fact]
    public void Numbers_with_thousands_separators_are_numbers_and_served_the_same_way()
    {
        using var dir = new TempDir();
        var path = dir.Write("income.csv", "income,score,label\n" +
            Rows(80, i => $"\"{1_000_000 + i * 12_345:N0}\",{i % 7},{(i < 40 ? "low" : "high")}"));

        var profile = Prepare(path);

        var income = profile.Schema.Columns.Single(c => c.Name == "income");
        Assert.Equal(ColumnKind.Numeric, income.Kind);
        Assert.Equal(NumberFormat.CommaGrouped, income.NumberFormat);
        Assert.Equal(1_000_000, income.Min);
        Assert.Equal(1_000_000 + 79 * 12_345, income.Max);
        Assert.False(profile.Columns.Single(c => c.Name == "income").Dropped);
    }

    [Theory]
    [InlineData("1.234.567,5", NumberFormat.DotGrouped, 1234567.5)]
    [InlineData("2,5", NumberFormat.Plain, 2.5)]
    [InlineData("1,234,567.5", NumberFormat.CommaGrouped, 1234567.5)]
    public void Semicolon_files_read_their_locale_numbers(string value, NumberFormat format, double expected)
    {
        using var dir = new TempDir();
        var path = dir.Write("locale.csv", "amount;label\n" + Rows(40, i => i == 0 ? $"{value};0" : $"{(i % 2 == 0 ? value : "7")};{i % 2}"));
        var amount = Prepare(path).Schema.Columns.Single(c => c.Name == "amount");
        Assert.Equal(ColumnKind.Numeric, amount.Kind);
        Assert.Equal(format, amount.NumberFormat ?? NumberFormat.Plain);
        Assert.True(CellValues.TryNumber(value, format, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("2020 Q3", 2020, 7)]
    [InlineData("2020Q1", 2020, 1)]
    [InlineData("2021-q4", 2021, 10)]
    [InlineData("Q2 1999", 1999, 4)]
    [InlineData("Jan 2020", 2020, 1)]
    [InlineData("March 2021", 2021, 3)]
    [InlineData("2020-06-15", 2020, 6)]
    public void Quarters_and_months_by_name_with_a_year_are_dates(string value, int year, int month)
    {
        Assert.True(CellValues.TryDate(value, out var date));
        Assert.Equal((year, month), (date.Year, date.Month));
    }

    [Theory]
    [InlineData("May")]
    [InlineData("Q5 2020")]
    [InlineData("2020")]
    [InlineData("Quarterly 2020")]
    [InlineData("Q1")]
    public void Month_names_alone_years_alone_and_other_text_are_not_dates(string value) =>
        Assert.False(CellValues.TryDate(value, out _));

    [Fact]
    public void Short_comments_over_a_small_vocabulary_are_text_while_multi_word_categories_stay_categories()
    {
        string[] words = ["late", "great", "box", "refund", "fast", "item", "never", "love", "price", "app", "ok", "again"];
        string[] plans = ["Month to month", "One year", "Two year"];
        var random = new Random(3);
        using var dir = new TempDir();
        var path = dir.Write("comments.csv", "comment,plan,label\n" + Rows(400, i =>
            $"{string.Join(' ', Enumerable.Range(0, 3 + i % 3).Select(_ => words[random.Next(words.Length)]))},{plans[i % 3]},{i % 2}"));

        var profile = Prepare(path);

        Assert.Equal(ColumnKind.Text, profile.Columns.Single(c => c.Name == "comment").Kind);
        Assert.Equal(ColumnKind.Categorical, profile.Columns.Single(c => c.Name == "plan").Kind);
        Assert.True(profile.Features.Single(f => f.Source == "comment").AverageLength > 10);
    }

    [Fact]
    public void Quotes_inside_unquoted_text_do_not_swallow_rows()
    {
        using var dir = new TempDir();
        var path = dir.Write("quotes.tsv", "text\tamount\tlabel\n" + Rows(50, i =>
            $"{(i % 5 == 0 ? $"he said \"no {i} and left" : $"plain text number {i}")}\t{i}\t{i % 2}"));
        var profile = Prepare(path);
        Assert.Equal(50, profile.Rows);
    }

    [Fact]
    public void Quoted_fields_with_separators_and_line_breaks_keep_quote_parsing()
    {
        using var dir = new TempDir();
        var path = dir.Write("quoted.csv", "text,amount,label\n" + Rows(50, i => $"\"first, part\nsecond {i % 4}\",{i},{i % 2}"));
        var profile = Prepare(path);
        Assert.Equal(50, profile.Rows);
        Assert.Equal(4, profile.Columns.Single(c => c.Name == "text").Distinct);
    }

    [Fact]
    public void A_file_with_more_rows_than_kept_is_sampled_while_reading_stratified_and_the_profile_says_so()
    {
        using var dir = new TempDir();
        var path = dir.Write("many.csv", "x,y,label\n" + Rows(4000, i => $"{i % 97},{i % 13},{(i % 5 == 0 ? "rare" : "common")}"));

        var profile = Prepare(path, options: new AutoMlOptions { MaxRows = 2000 });

        Assert.Equal(4000, profile.SourceRows);
        Assert.InRange(profile.Rows, 1800, 2200);
        Assert.Contains(profile.Notes, n => n.Contains("of the file's 4,000 rows"));
        Assert.InRange(profile.PositiveRatio!.Value, 0.17, 0.23);
    }

    [Fact]
    public void Every_prefix_of_the_stratified_order_keeps_the_class_mix()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? 1f : 0f).ToArray();
        var order = StratifiedOrder.Of(labels, MlTask.Binary, seed: 1);
        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        foreach (var prefix in new[] { 50, 100, 333, 1000 })
            Assert.InRange(order.Take(prefix).Count(r => labels[r] == 1), prefix / 10 - 1, prefix / 10 + 1);
    }

    [Fact]
    public void Dates_become_calendar_parts_and_an_ordinal_time()
    {
        using var dir = new TempDir();
        var path = dir.Write("dates.csv", "day,amount,label\n" + Rows(60, i => $"2024-01-{1 + i % 28:00},{i},{i % 2}"));
        var profile = Prepare(path);
        Assert.Equal(["year", "month", "day", "dayofweek", "dayofyear", "ordinal"], profile.Features.Where(f => f.Source == "day").Select(f => f.Part));
        Assert.Equal(19723, DateParts.Value(new DateTime(2024, 1, 1), "ordinal"));
    }
}
