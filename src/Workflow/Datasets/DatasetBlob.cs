using System.Text.RegularExpressions;

namespace Serverless.Workflow.Datasets;

/// <summary>An upload at <c>datasets/{dataset}/{file}</c>: which blobs are training data and what they are called.</summary>
public static partial class DatasetBlob
{
    public const string SpecFileName = "automl.json";
    private static readonly string[] DataExtensions = [".csv", ".tsv", ".txt"];

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DatasetNamePattern();

    public static bool IsValidDatasetName(string dataset) => DatasetNamePattern().IsMatch(dataset);

    /// <summary>A file name inside a dataset folder (subfolders allowed): no "." or ".." segments, no empty ones, no control characters.</summary>
    public static bool IsValidFileName(string file) =>
        file.Length is > 0 and <= 1000 && !file.Contains('\\') && !file.Any(char.IsControl)
        && file.Split('/').All(segment => segment.Length > 0 && segment is not ("." or ".."));

    /// <summary>Whether a file of this name would be training data (by its extension).</summary>
    public static bool IsDataFile(string file) => DataExtensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Splits a blob name inside the datasets container ("sales/2024-11.csv") into dataset and file.
    /// Returns null, with the reason, for blobs that are not training data (the spec sidecar, other files, bad names).
    /// </summary>
    public static (string Dataset, string File)? Parse(string blobName, out string? reason)
    {
        reason = null;
        var slash = blobName.IndexOf('/');
        if (slash <= 0 || slash == blobName.Length - 1)
        {
            reason = $"'{blobName}' is not under a dataset folder: upload to datasets/{{dataset}}/{{file}}.csv.";
            return null;
        }
        var dataset = blobName[..slash];
        var file = blobName[(slash + 1)..];
        if (file.Equals(SpecFileName, StringComparison.OrdinalIgnoreCase))
            return null;
        if (!IsValidFileName(file))
        {
            reason = $"'{blobName}' is not a plain file name (no '.', '..' or empty folder names): upload to datasets/{{dataset}}/{{file}}.csv.";
            return null;
        }
        if (!IsDataFile(file))
        {
            reason = $"'{blobName}' is not a .csv, .tsv or .txt file.";
            return null;
        }
        if (!IsValidDatasetName(dataset))
        {
            reason = $"Dataset name '{dataset}' must be lowercase letters, digits and '-' (at most 63).";
            return null;
        }
        return (dataset, file);
    }
}
