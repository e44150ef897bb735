using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.AutoMl;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Training;

/// <summary>Reads the upload it was started for (that exact version), profiles it and prepares it for the trials.</summary>
public sealed class PrepareDatasetActivity(Containers containers, RunWorkspace workspace, AutoMlEngine engine)
    : WorkflowActivity<PrepareInput, PrepareOutput>
{
    public override async Task<PrepareOutput> ExecuteAsync(PrepareInput input)
    {
        var request = input.Request;
        if (request.SpecError is not null)
            throw new InvalidDatasetException(request.SpecError);
        var source = Path.Combine(Path.GetTempPath(), $"{input.RunId}-{Guid.NewGuid():N}{Path.GetExtension(request.BlobName)}");
        try
        {
            try
            {
                await containers.Datasets.GetBlobClient(request.BlobName).DownloadToAsync(source,
                    new BlobDownloadToOptions { Conditions = new BlobRequestConditions { IfMatch = new ETag(request.BlobETag) } });
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                throw new InvalidDatasetException(e.Status == 404
                    ? $"datasets/{request.BlobName} was deleted before training started."
                    : $"datasets/{request.BlobName} changed before training started; the newer upload trains in its own run.");
            }
            var profile = await workspace.RunAsync(input.RunId, folder => engine.Prepare(source, request.Spec, folder));
            return new PrepareOutput(profile);
        }
        finally
        {
            File.Delete(source);
        }
    }
}
