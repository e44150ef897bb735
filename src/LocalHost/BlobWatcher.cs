using Azure.Storage.Blobs.Models;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.LocalHost;

/// <summary>
/// The local stand-in for the blob trigger: polls the datasets container and starts a run for every new or
/// changed blob. Receipts (blob name → ETag handled) live in storage, so a restarted host retrains nothing.
/// </summary>
public sealed class BlobWatcher(Containers containers, RunStore store, RunStarter starter, ITrainingRuns runs, IConfiguration configuration, ILogger<BlobWatcher> logger)
    : BackgroundService
{
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(configuration.GetValue("LocalHost:BlobPollMilliseconds", 1000));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var receiptsBlob = store.WatcherReceipts;
        Dictionary<string, string>? receipts = null;
        using var timer = new PeriodicTimer(_interval);
        do
        {
            // Storage may be down at start or at any time: the watcher waits it out instead of stopping the host.
            try
            {
                if (receipts is null)
                {
                    await containers.EnsureCreatedAsync(stoppingToken);
                    receipts = (await BlobJson.ReadAsync<Dictionary<string, string>>(receiptsBlob, stoppingToken))?.Value ?? [];
                }
                if (await HandleNewBlobsAsync(receipts, stoppingToken))
                    await BlobJson.WriteAsync(receiptsBlob, receipts, ct: stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Blob watcher poll failed; retrying");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<bool> HandleNewBlobsAsync(Dictionary<string, string> receipts, CancellationToken ct)
    {
        var changed = false;
        await foreach (var blob in containers.Datasets.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
        {
            var etag = blob.Properties.ETag?.ToString() ?? "";
            if (receipts.TryGetValue(blob.Name, out var handled) && handled == etag)
                continue;
            try
            {
                await starter.StartAsync(blob.Name, runs, RunReason.Upload, ct);
                receipts[blob.Name] = etag;
                changed = true;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One blob that cannot be started now (storage hiccup, a bug) must not hold up the others; it is retried.
                logger.LogWarning(e, "Could not start a run for datasets/{Blob}; retrying next poll", blob.Name);
            }
        }
        return changed;
    }
}
