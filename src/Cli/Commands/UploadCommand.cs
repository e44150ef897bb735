using System.ComponentModel;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.AutoMl;
using Serverless.Workflow.Api;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Serverless.Cli.Commands;

public sealed class UploadSettings : SpecSettings
{
    [CommandOption("--data <FILE>"), Description("The CSV to upload.")]
    public string Data { get; init; } = "";

    [CommandOption("--dataset <NAME>"), Description("The dataset it belongs to: lowercase letters, digits and '-'.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--host <URL>"), Description($"The host to upload through (default: ${HostSettings.HostVariable}, else http://127.0.0.1:7071).")]
    public string? Host { get; init; }

    [CommandOption("--key <KEY>"), Description($"The host's admin key on Azure, LocalHost__ApiKey locally (default: ${HostSettings.KeyVariable}).")]
    public string? Key { get; init; }

    [CommandOption("--connection <CONNECTION_STRING>"), Description("Upload straight to this storage account instead (no size limit; the blob trigger starts the run).")]
    public string? Connection { get; init; }

    [CommandOption("--data-files <FILES>"), Description("append: the dataset is all its files with these columns (default); replace: this file alone.")]
    public DataFiles? DataFiles { get; init; }

    [CommandOption("--time <COLUMN>"), Description("With --task forecast: the date column (default: the one column holding dates).")]
    public string? Time { get; init; }

    [CommandOption("--horizon <STEPS>"), Description("With --task forecast: steps to forecast and backtest on (default: a season ahead, e.g. 12 for monthly data).")]
    public int? Horizon { get; init; }

    [CommandOption("--series <COLUMN>"), Description("With --task forecast: the column naming each series when the file holds several.")]
    public string? Series { get; init; }

    [CommandOption("--known <COLUMNS>"), Description("With --task forecast: comma-separated columns known in advance (planned events, calendar-like).")]
    public string? Known { get; init; }

    public override TrainingSpec Spec() => base.Spec() with
    {
        TimeColumn = Time, Horizon = Horizon, SeriesColumn = Series, KnownColumns = Known is null ? null : SpecMetadata.List(Known),
    };

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Data) ? ValidationResult.Error("--data is required.")
        : !File.Exists(Data) ? ValidationResult.Error($"{Data} does not exist.")
        : !DatasetBlob.IsValidDatasetName(Dataset) ? ValidationResult.Error("--dataset is required: lowercase letters, digits and '-' (at most 63).")
        : ValidationResult.Success();

    public HostSettings HostSettings => new() { Host = Host, Key = Key };

    public DatasetSpec DatasetSpec() => new() { Training = Spec(), DataFiles = DataFiles };
}

/// <summary>`upload`: a CSV into the pipeline with its training spec, without storage tools.</summary>
public sealed class UploadCommand : AsyncCommand<UploadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UploadSettings settings, CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(settings.Data);
        if (settings.Connection is { } connection)
        {
            var container = new BlobServiceClient(connection).GetBlobContainerClient(Containers.DatasetsName);
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await container.GetBlobClient($"{settings.Dataset}/{file}")
                .UploadAsync(settings.Data, new BlobUploadOptions { Metadata = SpecMetadata.From(settings.DatasetSpec()) }, cancellationToken);
            CliApp.Messages.MarkupLineInterpolated(
                $"Uploaded to {Containers.DatasetsName}/{settings.Dataset}/{file}: its run starts within seconds; `cli runs --dataset {settings.Dataset}` lists it.");
            Console.WriteLine($"{Containers.DatasetsName}/{settings.Dataset}/{file}");
            return (int)ExitCode.Ok;
        }

        using var host = new HostClient(settings.HostSettings);
        var query = string.Join("&", SpecMetadata.From(settings.DatasetSpec()).Append(new("file", file))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        await using var content = File.OpenRead(settings.Data);
        var accepted = await host.PostAsync<RunAccepted>($"datasets/{settings.Dataset}?{query}", new StreamContent(content), cancellationToken);
        CliApp.Messages.MarkupLineInterpolated($"{accepted.Note} Follow it with `cli runs {accepted.Run} --watch`.");
        Console.WriteLine(new Uri(host.BaseAddress, accepted.Link.TrimStart('/')));
        return (int)ExitCode.Ok;
    }
}
