using Serverless.AutoMl;
using Serverless.Workflow.Datasets;

namespace Serverless.Workflow.Training;

/// <summary>
/// The first step of a run: the files the run was started for are downloaded (each at its exact version) into a
/// scratch folder, prepared for the search, and the folder is deleted. A spec found invalid when the run started
/// fails it here, before anything is downloaded.
/// </summary>
public abstract class PrepareActivity<TOutput>(DatasetStore datasets) : WorkflowActivity<PrepareInput, TOutput>
{
    protected sealed override async Task<TOutput> RunCoreAsync(PrepareInput input)
    {
        var request = input.Request;
        if (request.SpecError is not null)
            throw new InvalidDatasetException(request.SpecError);
        var folder = Directory.CreateTempSubdirectory($"{input.RunId}-").FullName;
        try
        {
            var paths = await datasets.DownloadAsync(request.Dataset, request.Files, Enumerable.Range(0, request.Files.Count), folder);
            return await PrepareAsync(input, paths, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <param name="input">The run and its request.</param>
    /// <param name="paths">The downloaded files by their position in the request.</param>
    /// <param name="scratch">A folder deleted when this returns.</param>
    protected abstract Task<TOutput> PrepareAsync(PrepareInput input, IReadOnlyDictionary<int, string> paths, string scratch);
}
