using System.Collections.Frozen;

namespace Serverless.Chain.Extraction;

/// <summary>Numbers written as words: "two", "twenty five", "a dozen", "one hundred and twenty", "3 thousand", "half a".</summary>
internal static class NumberWords
{
    private static readonly FrozenDictionary<string, double> Small = new Dictionary<string, double>
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20,
        ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
        ["dozen"] = 12, ["once"] = 1, ["twice"] = 2,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, double> Multipliers = new Dictionary<string, double>
    {
        ["hundred"] = 100, ["thousand"] = 1000, ["million"] = 1e6, ["dozen"] = 12,
    }.ToFrozenDictionary();

    public static bool IsNumberWord(string word) => Small.ContainsKey(word) || Multipliers.ContainsKey(word) || word == Half;

    /// <summary>"half a mile", "half an acre": a half before "a" or "an" (not "half the time").</summary>
    private const string Half = "half";

    /// <summary>
    /// Reads the longest number spelled by words[from..]: its value and how many words it took (0 when none).
    /// "a" counts only before a multiplier ("a dozen", "a hundred"); "and" only inside ("one hundred and five").
    /// </summary>
    public static (double Value, int Length) Read(IReadOnlyList<string> words, int from)
    {
        if (words[from] == Half)
            return from + 1 < words.Count && words[from + 1] is "a" or "an" ? (0.5, 2) : (0, 0);
        double total = 0, current = 0;
        var length = 0;
        var seen = false;
        for (var i = from; i < words.Count; i++)
        {
            var word = words[i];
            if (Small.TryGetValue(word, out var small) && !Multipliers.ContainsKey(word))
            {
                // "twenty five" adds; "five twenty" is two numbers.
                if (seen && current % 100 != 0 && current % 10 == 0 && small < 10) current += small;
                else if (seen && current % 100 != 0) break;
                else current += small;
            }
            else if (Multipliers.TryGetValue(word, out var multiplier))
            {
                current = (current == 0 ? 1 : current) * multiplier;
                if (multiplier >= 1000) { total += current; current = 0; }
            }
            else if ((word is "a" or "an") && !seen && i + 1 < words.Count && Multipliers.ContainsKey(words[i + 1])) continue;
            else if (word == "and" && seen && i + 1 < words.Count && Small.ContainsKey(words[i + 1])) continue;
            else break;
            seen = true;
            length = i - from + 1;
        }
        return seen ? (total + current, length) : (0, 0);
    }
}
