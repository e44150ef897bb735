using System.Collections.Concurrent;
using Serverless.Chain;

namespace Serverless.Chain.Tests;

/// <summary>
/// The test stand-in for the blob registry: datasets map to lookups that a test can swap at any time, or to a
/// storage outage.
/// </summary>
public sealed class InMemoryModelSource : IModelSource
{
    private readonly ConcurrentDictionary<string, ModelLookup> _lookups = new();
    private readonly ConcurrentDictionary<string, Exception> _outages = new();

    public InMemoryModelSource Set(string dataset, ModelLookup lookup)
    {
        _lookups[dataset] = lookup;
        return this;
    }

    public InMemoryModelSource Fail(string dataset, Exception outage)
    {
        _outages[dataset] = outage;
        return this;
    }

    public ValueTask<ModelLookup> GetAsync(string dataset, CancellationToken ct) => _outages.TryGetValue(dataset, out var outage)
        ? ValueTask.FromException<ModelLookup>(outage)
        : ValueTask.FromResult(_lookups.GetValueOrDefault(dataset, ModelLookup.Unknown));
}
