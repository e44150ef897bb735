using System.Text.Json.Serialization;
using Serverless.AutoMl;

namespace Serverless.Workflow.Datasets;

/// <summary>Which of a dataset's data files a run trains on.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataFiles>))]
public enum DataFiles
{
    /// <summary>Every data file of the dataset's folder: each upload adds rows.</summary>
    [JsonStringEnumMemberName("append")] Append,
    /// <summary>Only the newest file: each upload replaces the data.</summary>
    [JsonStringEnumMemberName("replace")] Replace,
}

/// <summary>
/// What an upload asks for: how to train (the engine's spec) and on which of the dataset's files (a choice of the
/// datasets container the engine knows nothing of). Blob metadata and the sidecar write both flat, side by side.
/// </summary>
public sealed record DatasetSpec
{
    public TrainingSpec Training { get; init; } = new();
    /// <summary>Null: not said here (the next source decides, <see cref="DataFiles.Append"/> when none does).</summary>
    public DataFiles? DataFiles { get; init; }
}
