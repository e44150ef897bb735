using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
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
        new RunCancellation(Runs, new RunWorkspace(Runs, Configuration())), TimeProvider.System, NullLogger<RunStarter>.Instance);

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
