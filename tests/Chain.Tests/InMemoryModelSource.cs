using System.Collections.Concurrent;
using Serverless.Chain;

namespace Serverless.Chain.Tests;

/// <summary>The test stand-in for the blob registry: datasets map to lookups that a test can swap at any time.</summary>
public sealed class InMemoryModelSource : IModelSource
{
    private readonly ConcurrentDictionary<string, ModelLookup> _lookups = new();

    public InMemoryModelSource Set(string dataset, ModelLookup lookup)
    {
        _lookups[dataset] = lookup;
        return this;
    }

    public ValueTask<ModelLookup> GetAsync(string dataset, CancellationToken ct) =>
        ValueTask.FromResult(_lookups.GetValueOrDefault(dataset, ModelLookup.Unknown));
}
