using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Serverless.Workflow.Datasets;
using Serverless.Workflow.Runs;

namespace Serverless.Workflow.Tests;

/// <summary>Starting runs on real storage; the durable engine is a recording stand-in (the end-to-end tests run the real one).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunStarterTests(AzuriteFixture azurite)
{
    /// <summary>Uploads in blocks, as large uploads go: the store then keeps no MD5 of the content.</summary>
    private async Task<BlobProperties> UploadWithoutMd5(string name, string content)
    {
        var blob = azurite.Containers.Datasets.GetBlockBlobClient(name);
        var block = Convert.ToBase64String(Encoding.UTF8.GetBytes("block-0"));
        await blob.StageBlockAsync(block, new MemoryStream(Encoding.UTF8.GetBytes(content)));
        await blob.CommitBlockListAsync([block]);
        return (await blob.GetPropertiesAsync()).Value;
    }

    [Fact]
    public async Task Data_is_identified_by_its_content_even_when_the_uploader_sent_no_md5()
    {
        var first = await UploadWithoutMd5("hash-tool/a.csv", "x,y\n1,2\n3,4\n");
        Assert.Null(first.ContentHash);
        var hash = await azurite.Datasets.ContentHashAsync("hash-tool/a.csv", first);

        var stored = (await azurite.Datasets.Blob("hash-tool/a.csv").GetPropertiesAsync()).Value;
        Assert.Equal(hash, DatasetStore.KnownContentHash(stored.ContentHash));
        var again = await UploadWithoutMd5("hash-tool/b.csv", "x,y\n1,2\n3,4\n");
        Assert.Equal(hash, await azurite.Datasets.ContentHashAsync("hash-tool/b.csv", again));
    }

    [Fact]
    public async Task A_hash_another_reader_stored_first_is_read_back_instead_of_failing()
    {
        var seen = await UploadWithoutMd5("hash-race/data.csv", "x,y\n1,2\n3,4\n");
        // Another reader (the watcher, the upload route) stores the hash first: the blob's version moves on.
        var theirs = await azurite.Datasets.ContentHashAsync("hash-race/data.csv", seen);

        var ours = await azurite.Datasets.ContentHashAsync("hash-race/data.csv", seen);

        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task An_identical_re_upload_without_md5_starts_no_second_run()
    {
        var runs = new SchedulingRuns();
        var starter = azurite.Starter();
        await UploadWithoutMd5("reupload/data.csv", "x,y\n1,2\n3,4\n");
        var first = await starter.StartAsync("reupload/data.csv", runs, RunReason.Upload);
        await UploadWithoutMd5("reupload/data.csv", "x,y\n1,2\n3,4\n");
        var second = await starter.StartAsync("reupload/data.csv", runs, RunReason.Upload);

        Assert.True(first!.Started);
        Assert.Equal(first.InstanceId, second!.InstanceId);
        Assert.False(second.Started);
        Assert.Single(runs.Scheduled);
    }

    [Fact]
    public async Task Hosts_starting_the_same_upload_at_once_schedule_one_run()
    {
        var runs = new SchedulingRuns();
        await azurite.Datasets.Blob("race/data.csv").UploadAsync(BinaryData.FromString("x,y\n1,2\n"), overwrite: true);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => azurite.Starter().StartAsync("race/data.csv", runs, RunReason.Upload)));

        Assert.Single(outcomes.Select(o => o!.InstanceId).Distinct());
        Assert.Single(outcomes, o => o!.Started);
        Assert.Single(runs.Scheduled);
    }

    [Fact]
    public async Task A_newer_run_of_a_dataset_supersedes_the_one_still_going()
    {
        var runs = new SchedulingRuns();
        await azurite.Datasets.Blob("supersede/data.csv").UploadAsync(BinaryData.FromString("x,y\n1,2\n"), overwrite: true);
        var older = await azurite.Starter().StartAsync("supersede/data.csv", runs, RunReason.Upload);
        await azurite.Datasets.Blob("supersede/data.csv").UploadAsync(BinaryData.FromString("x,y\n1,2\n5,6\n"), overwrite: true);

        var newer = await azurite.Starter().StartAsync("supersede/data.csv", runs, RunReason.Upload);

        Assert.True(newer!.Started);
        Assert.Contains(newer.InstanceId, runs.Terminated[older!.InstanceId]);
        var record = await azurite.Runs.ReadReportAsync(older.InstanceId);
        Assert.Equal(RunStatus.Cancelled, record?.Status);
        Assert.StartsWith("Superseded by run", record?.Error);
        Assert.False(runs.Terminated.ContainsKey(newer.InstanceId));
    }

    [Fact]
    public async Task A_manual_retrain_gets_a_run_of_its_own_on_unchanged_data()
    {
        var runs = new SchedulingRuns();
        await azurite.Datasets.Blob("manual/data.csv").UploadAsync(BinaryData.FromString("x,y\n1,2\n"), overwrite: true);
        var upload = await azurite.Starter().StartAsync("manual/data.csv", runs, RunReason.Upload);

        var retrain = await azurite.Starter().RetrainAsync("manual", runs);

        Assert.True(retrain!.Started);
        Assert.NotEqual(upload!.InstanceId, retrain.InstanceId);
        Assert.Equal(RunReason.Manual, runs.Scheduled[retrain.InstanceId].Reason);
        Assert.Null(await azurite.Starter().RetrainAsync("no-such-dataset", runs));
    }

    private async Task Upload(string name, string content, IDictionary<string, string>? metadata = null) =>
        await azurite.Datasets.Blob(name).UploadAsync(BinaryData.FromString(content).ToStream(), new BlobUploadOptions { Metadata = metadata });

    [Fact]
    public async Task A_second_file_joins_the_data_and_its_run_names_both_files_at_their_versions()
    {
        var runs = new SchedulingRuns();
        await Upload("append/first.csv", "x,y\n1,2\n");
        var first = await azurite.Starter().StartAsync("append/first.csv", runs, RunReason.Upload);
        await Upload("append/second.csv", "x,y\n3,4\n");

        var second = await azurite.Starter().StartAsync("append/second.csv", runs, RunReason.Upload);

        Assert.True(second!.Started);
        Assert.NotEqual(first!.InstanceId, second.InstanceId);
        var request = runs.Scheduled[second.InstanceId];
        Assert.Equal((DataFiles.Append, "append/second.csv"), (request.DataFiles, request.BlobName));
        Assert.Equal(["first.csv", "second.csv"], request.Files.Select(f => f.Name));
        var listed = await azurite.Datasets.ListFilesAsync("append");
        Assert.Equal(listed.Select(f => (f.ETag, f.Bytes, f.ContentHash, f.LastModified)), request.Files.Select(f => (f.ETag, f.Bytes, f.ContentHash, f.LastModified)));
        Assert.Equal(DatasetStore.DataHash([.. listed.Select(f => f.ContentHash!)]), request.DataHash);
        Assert.Equal(listed[^1].LastModified, request.DataLastModified);
        Assert.Equal(runs.Scheduled[first.InstanceId].Files.Single().ContentHash, request.Files[0].ContentHash);
    }

    [Fact]
    public async Task Every_file_of_a_dataset_seen_at_once_maps_to_one_run_and_an_identical_re_upload_to_none()
    {
        var runs = new SchedulingRuns();
        await Upload("at-once/first.csv", "x,y\n1,2\n");
        await Upload("at-once/second.csv", "x,y\n3,4\n");

        var outcomes = await Task.WhenAll(new[] { "at-once/first.csv", "at-once/second.csv" }.Select(b => azurite.Starter().StartAsync(b, runs, RunReason.Upload)));
        await Upload("at-once/first.csv", "x,y\n1,2\n");
        var again = await azurite.Starter().StartAsync("at-once/first.csv", runs, RunReason.Upload);

        Assert.Single(outcomes.Select(o => o!.InstanceId).Distinct());
        Assert.Equal(outcomes[0]!.InstanceId, again!.InstanceId);
        Assert.False(again.Started);
        Assert.Single(runs.Scheduled.Keys, k => k.StartsWith("at-once_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_replace_the_newest_file_alone_is_the_data()
    {
        var runs = new SchedulingRuns();
        await Upload("replace/first.csv", "x,y\n1,2\n");
        await Upload("replace/second.csv", "x,y\n3,4\n", new Dictionary<string, string> { [SpecMetadata.DataFiles] = "replace" });

        var outcome = await azurite.Starter().StartAsync("replace/first.csv", runs, RunReason.Upload);

        var request = runs.Scheduled[outcome!.InstanceId];
        Assert.Equal(DataFiles.Replace, request.DataFiles);
        Assert.Equal(["second.csv"], request.Files.Select(f => f.Name));
        Assert.Equal(request.Files[0].ContentHash, request.DataHash);
        Assert.Null(await azurite.Starter().StartAsync("replace/gone.csv", runs, RunReason.Upload));
    }
}
