using Serverless.AutoMl;
using Serverless.Workflow.Training;

namespace Serverless.Workflow.Tests;

public sealed class TrainingStarterTests
{
    static TrainingRequest Request(string hash = "md5:abc", string? label = "churn", string etag = "\"1\"") => new()
    {
        Dataset = "churn", BlobName = "churn/a.csv", BlobETag = etag, DataHash = hash, Spec = new TrainingSpec { Label = label },
    };

    [Fact]
    public void The_same_data_and_spec_give_the_same_instance_id_whatever_the_etag() =>
        Assert.Equal(TrainingStarter.InstanceIdFor(Request(etag: "\"1\"")), TrainingStarter.InstanceIdFor(Request(etag: "\"2\"")));

    [Fact]
    public void New_data_or_a_new_spec_gives_a_new_run()
    {
        var baseline = TrainingStarter.InstanceIdFor(Request());
        Assert.NotEqual(baseline, TrainingStarter.InstanceIdFor(Request(hash: "md5:def")));
        Assert.NotEqual(baseline, TrainingStarter.InstanceIdFor(Request(label: "tenure")));
    }

    [Fact]
    public void Instance_ids_are_prefixed_by_their_dataset() =>
        Assert.StartsWith(RunState.InstancePrefix("churn"), TrainingStarter.InstanceIdFor(Request()));

    [Fact]
    public void Data_is_identified_by_md5_when_the_store_has_one_else_by_etag()
    {
        Assert.Equal("md5:AQID", TrainingStarter.DataHash([1, 2, 3], "\"0x8D\""));
        Assert.Equal("etag:0x8D", TrainingStarter.DataHash(null, "\"0x8D\""));
    }
}
