using Serverless.AutoMl;
using Serverless.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli;

/// <summary>The command line: offline training and scoring, and the pipeline's operations against a host.</summary>
public static class CliApp
{
    /// <summary>Messages and progress go to stderr; stdout carries results (tables, JSON, file names) for scripts.</summary>
    public static readonly IAnsiConsole Messages = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Results for people on stdout (and help).</summary>
    public static readonly IAnsiConsole Results = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>Redirected output is read by programs: one line per message, not wrapped at 80 columns.</summary>
    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
            console.Profile.Width = 4096;
        return console;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("cli");
            config.ConfigureConsole(Results);
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Searches for the best model of a CSV within a time budget and writes it as a model package.")
                .WithExample("train", "--data", "train.csv", "--label", "outcome", "--budget-seconds", "60")
                .WithExample("train", "--data", "train.csv", "--test", "test.csv", "--json");
            config.AddCommand<BaselineCommand>("baseline")
                .WithDescription("Trains ML.NET LightGbm with its default options on the same features (a yardstick for train).")
                .WithExample("baseline", "--data", "train.csv", "--label", "outcome", "--test", "test.csv");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Scores every row of a CSV with a model package; writes the rows with predictions and probabilities.")
                .WithExample("predict", "--model", "model.zip", "--data", "new.csv", "--output", "scored.csv");
            config.AddCommand<ForecastCommand>("forecast").WithDescription("Trains a forecaster on a time series within a budget; prints its backtest and forecast.").WithExample("forecast", "--data", "sales.csv", "--horizon", "12", "--budget-seconds", "60");
            config.AddCommand<UploadCommand>("upload")
                .WithDescription("Uploads a CSV to the pipeline (through the host, or straight to storage with --connection); prints the run's URL.")
                .WithExample("upload", "--data", "prices.csv", "--dataset", "prices", "--label", "price")
                .WithExample("upload", "--data", "big.csv", "--dataset", "big", "--connection", "\"DefaultEndpointsProtocol=...\"");
            config.AddCommand<RunsCommand>("runs")
                .WithDescription("Lists recent runs (of one dataset with --dataset), or shows one run (its id as argument; --watch follows it).")
                .WithExample("runs", "--dataset", "housing")
                .WithExample("runs", "housing_1a2b3c4d5e6f7a8b", "--watch");
            config.AddCommand<ModelsCommand>("models")
                .WithDescription("Lists a dataset's model versions and which one is live.")
                .WithExample("models", "housing");
            config.AddCommand<PromoteCommand>("promote")
                .WithDescription("Makes a version the dataset's champion.")
                .WithExample("promote", "housing", "20261130-081108-b81184");
            config.AddCommand<RollbackCommand>("rollback")
                .WithDescription("Makes the dataset's previous champion live again.")
                .WithExample("rollback", "housing");
            config.AddCommand<CancelCommand>("cancel")
                .WithDescription("Stops a run that is still going.")
                .WithExample("cancel", "housing_1a2b3c4d5e6f7a8b");
            config.SetExceptionHandler((exception, _) => Fail(exception));
        });
        return await app.RunAsync(args);
    }

    /// <summary>Every failure ends as a readable message and its exit code, never a stack trace.</summary>
    private static int Fail(Exception exception)
    {
        switch (exception)
        {
            case CommandParseException or CommandRuntimeException:
                Messages.MarkupLineInterpolated($"[red]{exception.Message}[/] (cli --help lists the commands; cli COMMAND --help their options)");
                return (int)ExitCode.Usage;
            case InvalidDatasetException unusable:
                Messages.MarkupLineInterpolated($"[red]Unusable data:[/] {unusable.Message}");
                return (int)ExitCode.UnusableData;
            case HostException host:
                Messages.MarkupLineInterpolated($"[red]{host.Message}[/]");
                return (int)ExitCode.Failed;
            case HttpRequestException unreachable:
                Messages.MarkupLineInterpolated($"[red]The host cannot be reached:[/] {unreachable.Message} (start it with ./run.sh, or pass --host)");
                return (int)ExitCode.Failed;
            default:
                Messages.MarkupLineInterpolated($"[red]{exception.GetType().Name}:[/] {exception.Message}");
                return (int)ExitCode.Failed;
        }
    }
}
