using System.Text.RegularExpressions;

namespace Serverless.Chain;

/// <summary>Reads "age: 41, plan = Basic" style text; anything else is a question.</summary>
internal static partial class KeyValueText
{
    public static bool TryParse(string text, out Dictionary<string, string?> record)
    {
        record = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var segment in Segments().Split(text).Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            var pair = Pair().Match(segment);
            if (!pair.Success) return false;
            record[pair.Groups["key"].Value.Trim()] = pair.Groups["value"].Value.Trim();
        }
        return record.Count > 0;
    }

    [GeneratedRegex(@"[,;\n]")]
    private static partial Regex Segments();

    // A key is a short name (at most four words), so a question with a colon in it is not mistaken for one.
    [GeneratedRegex(@"^\s*(?<key>[\p{L}_][\p{L}\p{N}_\- ]{0,60}?)\s*[:=]\s*(?<value>.*?)\s*$")]
    private static partial Regex Pair();
}
