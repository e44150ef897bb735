using System.Text.RegularExpressions;

namespace Serverless.Chain.Extraction;

/// <summary>How a column's name reads as words.</summary>
internal static partial class ColumnNames
{
    /// <summary>
    /// The meaningful words of a name: stop words out (unless nothing else is left), abbreviations spelled out, joined
    /// pairs ("over time" is also "overtime"). A unit after a number ("inq_last_6mths") is a period the column counts
    /// over, not the unit of its values. Words in brackets are a remark on the name (a unit: "Resting BP (mm Hg)").
    /// </summary>
    public static List<NameWord> Words(string name)
    {
        var pieces = Pieces(name);
        var raw = pieces.Select(p => p.Word).ToList();
        var keep = raw.Select(w => !EnglishWords.Stop.Contains(w)).ToArray();
        if (!keep.Contains(true)) Array.Fill(keep, true);
        var words = new List<NameWord>();
        for (var i = 0; i < raw.Count; i++)
        {
            if (!keep[i]) continue;
            var word = raw[i];
            var keys = WordForms.Of(word, expandAbbreviations: true).Select(f => f.Key).Distinct().ToArray();
            var joined = new List<string>();
            if (i + 1 < raw.Count) joined.Add(Stemmer.Stem(word + raw[i + 1]));
            if (i > 0) joined.Add(Stemmer.Stem(raw[i - 1] + word));
            // "week" in "week_nights" says which nights are counted, not the unit of the count.
            var period = (i > 0 && raw[i - 1].All(char.IsDigit)) || (keys.Any(Units.IsTimeUnit) && i + 1 < raw.Count && IsCountedNoun(raw[i + 1]));
            var isRate = (i > 0 && raw[i - 1] == "per") || (word.EndsWith("ly", StringComparison.Ordinal) && keys.Any(Units.IsTimeUnit)) ||
                         (EnglishWords.Related.GetValueOrDefault(word)?.EndsWith("ly", StringComparison.Ordinal) ?? false);
            words.Add(new NameWord(keys, joined.Except(keys).ToArray(), 1, isRate, period) { Remark = pieces[i].Remark });
        }
        return words;
    }

    /// <summary>The name's words in order, and whether each stands in brackets ("mm" and "hg" of "Resting BP (mm Hg)").</summary>
    private static List<(string Word, bool Remark)> Pieces(string name) =>
        BracketedOrNot().Matches(name)
            .SelectMany(m => WordForms.SplitName(m.Value).Select(w => (w, m.Value[0] is '(' or '[')))
            .ToList();

    [GeneratedRegex(@"\([^)]*\)?|\[[^\]]*\]?|[^(\[]+")]
    private static partial Regex BracketedOrNot();

    /// <summary>A plural noun that names no unit or dimension itself: what a column counts ("nights", "visits").</summary>
    private static bool IsCountedNoun(string word) =>
        word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !EnglishWords.Stop.Contains(word) &&
        !Units.Named(Stemmer.Stem(word)).Any();
}
