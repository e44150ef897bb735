using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

public sealed class RunStoreTests
{
    private static TrainingRequest Request(string hash = "md5:abc", string? label = "churn", string etag = "\"1\"") => new()
    {
        Dataset = "churn", BlobName = "churn/a.csv", BlobETag = etag, DataHash = hash, Spec = new TrainingSpec { Label = label },
    };

    [Fact]
    public void The_same_data_and_spec_give_the_same_instance_id_whatever_the_etag() =>
        Assert.Equal(RunStore.InstanceIdFor(Request(etag: "\"1\"")), RunStore.InstanceIdFor(Request(etag: "\"2\"")));

    [Fact]
    public void New_data_or_a_new_spec_gives_a_new_run()
    {
        var baseline = RunStore.InstanceIdFor(Request());
        Assert.NotEqual(baseline, RunStore.InstanceIdFor(Request(hash: "md5:def")));
        Assert.NotEqual(baseline, RunStore.InstanceIdFor(Request(label: "tenure")));
    }

    [Fact]
    public void Instance_ids_are_prefixed_by_their_dataset() =>
        Assert.StartsWith(RunStore.InstancePrefix("churn"), RunStore.InstanceIdFor(Request()));
}
