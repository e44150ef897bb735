using System.ComponentModel;
using Serverless.AutoMl;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

public sealed class PredictSettings : CommandSettings
{
    [CommandOption("--model <FILE>"), Description("A model package: train's output, or GET /api/models/{dataset}/versions/{version}/model.zip.")]
    public string Model { get; init; } = "";

    [CommandOption("--data <FILE>"), Description("Rows to score, shaped like the training file (the label column may be absent).")]
    public string Data { get; init; } = "";

    [CommandOption("--output <FILE>"), Description("Where the scored rows go: the input's columns, prediction and one probability per class.")]
    [DefaultValue("scored.csv")]
    public string Output { get; init; } = "scored.csv";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Model) ? ValidationResult.Error("--model is required.")
        : string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data is required.")
        : !File.Exists(Model) ? ValidationResult.Error($"{Model} does not exist.")
        : !File.Exists(Data) ? ValidationResult.Error($"{Data} does not exist.")
        : ValidationResult.Success();
}

/// <summary>`predict`: batch scoring with a model package, offline.</summary>
public sealed class PredictCommand : Command<PredictSettings>
{
    public override int Execute(CommandContext context, PredictSettings settings, CancellationToken cancellationToken)
    {
        using var model = TrainedModel.Load(settings.Model);
        var rows = BatchScoring.Score(model, settings.Data, settings.Output);
        CliApp.Messages.MarkupLineInterpolated($"[grey]{rows} rows scored with {model.Card.Dataset ?? "the model"} ({model.Schema.Task}, predicting {model.Schema.Label})[/]");
        Console.WriteLine(settings.Output);
        return (int)ExitCode.Ok;
    }
}
