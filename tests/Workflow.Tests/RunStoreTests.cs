using Serverless.AutoMl;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

public sealed class RunStoreTests
{
    private static TrainingRequest Request(string hash = "md5:abc", string? label = "churn", string etag = "\"1\"") => new()
    {
        Dataset = "churn", BlobName = "churn/a.csv", Files = [new SourceFile { Name = "a.csv", ETag = etag, ContentHash = hash }],
        DataHash = hash, Spec = new TrainingSpec { Label = label },
    };

    [Fact]
    public void A_new_file_is_new_data_and_renamed_or_reordered_files_are_not()
    {
        Assert.Equal("md5:a", DatasetStore.DataHash(["md5:a"]));
        Assert.Equal(DatasetStore.DataHash(["md5:a", "md5:b"]), DatasetStore.DataHash(["md5:b", "md5:a"]));
        Assert.NotEqual(DatasetStore.DataHash(["md5:a"]), DatasetStore.DataHash(["md5:a", "md5:b"]));
        Assert.NotEqual(DatasetStore.DataHash(["md5:a", "md5:b"]), DatasetStore.DataHash(["md5:a", "md5:b", "md5:b"]));
    }

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
