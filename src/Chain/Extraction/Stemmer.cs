namespace Serverless.Chain.Extraction;

/// <summary>
/// A light English stemmer: "smoker", "smokes" and "smoking" share "smok"; "married" and "marry" share "marry". It only
/// has to map a question's word and a column's or value's word onto the same key, not to produce real words.
/// </summary>
internal static class Stemmer
{
    private static readonly (string Suffix, string Replacement, int MinStem)[] Suffixes =
    [
        ("ies", "y", 2), ("ied", "y", 2), ("ings", "", 3), ("ing", "", 3), ("ers", "", 3), ("er", "", 3), ("ly", "", 3),
        ("ed", "", 2), ("es", "", 3), ("s", "", 2),
    ];

    public static string Stem(string word)
    {
        var w = word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word.TrimEnd('\'');
        if (w.Length <= 2 || !char.IsLetter(w[^1])) return w;
        foreach (var (suffix, replacement, minStem) in Suffixes)
        {
            if (!w.EndsWith(suffix, StringComparison.Ordinal) || w.Length - suffix.Length < minStem) continue;
            if (suffix == "s" && (w.EndsWith("ss", StringComparison.Ordinal) || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal))) break;
            w = w[..^suffix.Length] + replacement;
            break;
        }
        // "smoke" and "smok(ing)", "age" and "ag(ed)": a final e says nothing.
        return w.Length > 2 && w[^1] == 'e' ? w[..^1] : w;
    }
}
