namespace Serverless.Chain.Extraction;

/// <summary>A key a word can be looked up by, and how sure that key is.</summary>
internal readonly record struct WordForm(string Key, double Strength);

/// <summary>The keys of a word: its stem, the stem of a word naming the same thing, what an abbreviation stands for.</summary>
internal static class WordForms
{
    public const double Exact = 1.0;
    public const double Related = 0.9;
    /// <summary>Negations share one key, so "not verified", "non-travel" and "doesn't travel" meet.</summary>
    public const string Negation = "not";

    public static List<WordForm> Of(string word, bool expandAbbreviations)
    {
        var forms = new List<WordForm> { new(Key(word), Exact) };
        if (EnglishWords.Related.TryGetValue(word, out var related)) forms.Add(new(Stemmer.Stem(related), Related));
        if (expandAbbreviations && EnglishWords.Abbreviations.TryGetValue(word, out var expansions))
            forms.AddRange(expansions.Select(e => new WordForm(Stemmer.Stem(e), Related)));
        return forms;
    }

    public static string Key(string word) => EnglishWords.Negations.Contains(word) ? Negation : Stemmer.Stem(word);

    /// <summary>
    /// "YearsWithCurrManager", "funded_amnt", "plant.stand", "inq_last_6mths", "PromotedLast2Yrs" → lower-case words; a
    /// number that leads a word is its own word ("6", "mths").
    /// </summary>
    public static List<string> SplitName(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var end = i == name.Length || !char.IsLetterOrDigit(name[i]) || (i > start && start >= 0 && StartsWord(name, i));
            if (end && start >= 0)
            {
                words.Add(name[start..i].ToLowerInvariant());
                start = -1;
            }
            if (i < name.Length && char.IsLetterOrDigit(name[i]) && start < 0) start = i;
        }
        return words;
    }

    private static bool CapitalAfterDigits(string name, int i)
    {
        while (i < name.Length && char.IsDigit(name[i])) i++;
        return i < name.Length && char.IsUpper(name[i]);
    }

    /// <summary>
    /// camelCase and PascalCase boundaries ("curr|Manager", "HHV" stays whole, "XMLFile" → "XML|File"), digits before
    /// letters, digits between a word and a capital ("Last|2|Yrs").
    /// </summary>
    private static bool StartsWord(string name, int i)
    {
        var c = name[i];
        var previous = name[i - 1];
        if (char.IsLetter(c) && char.IsDigit(previous)) return true;
        // "Last2Yrs": digits between a lower-case letter and a capital are a word of their own ("od280" is a code).
        if (char.IsDigit(c) && char.IsLower(previous)) return CapitalAfterDigits(name, i);
        if (!char.IsUpper(c)) return false;
        return char.IsLower(previous) || (char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]));
    }
}
