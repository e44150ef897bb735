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

    // A key is a name, possibly after a few words of prose ("predict the price for age=3": the reader finds the column at
    // its end), and may hold a unit or symbol ("Unit Price ($)", "Discount %"). A question mark after the last value ends
    // the question, it is not part of the value.
    [GeneratedRegex(@"^\s*(?<key>[\p{L}_][\p{L}\p{N}_\- ()\[\]$%#&/.']{0,120}?)\s*[:=]\s*(?<value>.*?)[\s?]*$")]
    private static partial Regex Pair();
}
