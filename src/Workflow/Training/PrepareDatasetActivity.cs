using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Training;

/// <summary>
/// Reads the upload it was started for (that exact version), profiles it and prepares it for the trials. Unless the
/// spec says otherwise, the run keeps as many trials running as the whole deployment can (<see cref="Cluster.Slots"/>).
/// </summary>
public sealed class PrepareDatasetActivity(DatasetStore datasets, RunWorkspace workspace, AutoMlEngine engine, Cluster cluster)
    : WorkflowActivity<PrepareInput, PrepareOutput>
{
    /// <summary>
    /// Downloads exactly the data the run was started for. The blob may have been overwritten since: with the same
    /// content (a re-upload, which starts no second run) that is fine, also when the overwrite lands between reading
    /// the blob's version and downloading it; with other content the newer upload has its own run.
    /// </summary>
    private async Task DownloadAsync(TrainingRequest request, string path)
    {
        const int Attempts = 3;
        var blob = datasets.Blob(request.BlobName);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var etag = new ETag(request.BlobETag);
                var current = (await blob.GetPropertiesAsync()).Value;
                if (current.ETag != etag && DatasetStore.KnownDataHash(current.ContentHash) == request.DataHash)
                    etag = current.ETag;
                await blob.DownloadToAsync(path, new BlobDownloadToOptions { Conditions = new BlobRequestConditions { IfMatch = etag } });
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < Attempts)
            {
                // Overwritten between reading its version and downloading: look again.
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                throw new InvalidDatasetException(e.Status == 404
                    ? $"datasets/{request.BlobName} was deleted before training started."
                    : $"datasets/{request.BlobName} changed before training started; the newer upload trains in its own run.");
            }
        }
    }

    protected override async Task<PrepareOutput> RunCoreAsync(PrepareInput input)
    {
        var request = input.Request;
        if (request.SpecError is not null)
            throw new InvalidDatasetException(request.SpecError);
        var source = Path.Combine(Path.GetTempPath(), $"{input.RunId}-{Guid.NewGuid():N}{Path.GetExtension(request.BlobName)}");
        try
        {
            await DownloadAsync(request, source);
            var spec = request.Spec with { ParallelTrials = request.Spec.ParallelTrials ?? cluster.Slots };
            var profile = await workspace.PrepareAsync(input.RunId, folder => engine.Prepare(source, spec, folder));
            return new PrepareOutput(profile);
        }
        finally
        {
            File.Delete(source);
        }
    }
}
