using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Serverless.AutoMl;
using Serverless.Tests.Shared;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;
using Serverless.Workflow.Storage;

namespace Serverless.Workflow.Tests;

/// <summary>A real Azurite (the repo's pinned one) for the tests that touch storage.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;
    public Containers Containers { get; private set; } = null!;
    public DatasetStore Datasets => new(Containers);
    public RunStore Runs => new(Containers);

    public RunStarter Starter(IConfiguration? configuration = null) => new(Datasets, Runs,
        new TrainingSpecResolver(Datasets, configuration ?? Configuration()),
        new RunCancellation(Runs, Workspace()), TimeProvider.System, NullLogger<RunStarter>.Instance);

    /// <summary>A worker's view of runs' work files, with the real engine; its copies go under AutoMl:WorkDirectory/{worker}.</summary>
    public RunWorkspace Workspace(string worker = "tests", IConfiguration? configuration = null, TimeProvider? time = null) =>
        new(Runs, new AutoMlEngine(), new Cluster(worker, Workers: 1, SlotsPerWorker: 2, WorkerMemoryBytes: 1L << 32),
            configuration ?? Configuration(), time ?? TimeProvider.System, NullLogger<RunWorkspace>.Instance);

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        Containers = new Containers(new BlobServiceClient(_azurite.ConnectionString));
        await Containers.EnsureCreatedAsync();
    }

    public IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    public Task DisposeAsync()
    {
        _azurite.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "_azurite";
}
