using System.Collections.Frozen;

namespace Serverless.Chain.Extraction;

/// <summary>
/// General English the extractor reads questions with: function words, negations, abbreviations and a few words that
/// name the same thing. Nothing here names a dataset, a column or a value.
/// </summary>
internal static class EnglishWords
{
    /// <summary>Function words: they never name a column or a value on their own.</summary>
    public static readonly FrozenSet<string> Stop = FrozenSet.ToFrozenSet(
    [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "per", "with", "and", "or", "but", "as",
        "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did",
        "this", "that", "these", "those", "it", "its", "he", "she", "they", "them", "his", "her", "their", "i", "me", "my",
        "we", "us", "our", "you", "your", "who", "whom", "whose", "which", "what", "when", "where", "how", "why", "there",
        "about", "around", "approximately", "roughly", "nearly", "almost", "some", "any", "each", "every", "into", "than",
        "then", "so", "if", "also", "just", "quite", "only", "since", "during", "until", "while",
        "s", "equal", "equals", "set", "value", "plus",
    ]);

    /// <summary>Words of a question that ask or refer rather than describe: never worth reporting as not understood.</summary>
    public static readonly FrozenSet<string> Filler = FrozenSet.ToFrozenSet(
    [
        "would", "will", "could", "can", "should", "might", "may", "shall", "predict", "prediction", "predicted", "likely",
        "likelihood", "chance", "chances", "probability", "expect", "expected", "estimate", "guess", "tell", "know", "think",
        "please", "model", "say", "happen", "get", "got", "someone", "somebody", "person", "people", "one", "guy", "case",
        "example", "like", "what's", "whats", "i'm", "im", "it's", "he's", "she's", "they're", "risk", "here", "now",
        "still", "well", "much", "many", "more", "less", "other", "another", "same", "given", "assuming", "suppose",
        "over", "under", "below", "above", "fewer", "greater", "higher", "lower", "least", "most", "exactly", "customer", "client", "employee", "patient", "applicant", "borrower", "user", "member",
        "individual", "sample", "record", "row",
    ]);

    public static readonly FrozenSet<string> Negations = FrozenSet.ToFrozenSet(
    [
        "no", "not", "without", "non", "never", "none", "isn't", "isnt", "doesn't", "doesnt", "don't", "dont", "didn't",
        "didnt", "hasn't", "hasnt", "haven't", "havent", "wasn't", "wasnt", "aren't", "arent", "neither", "nor", "w/o",
    ]);

    /// <summary>Words for a person: a bare number right after one is the person's age ("female, 28", "who is 40").</summary>
    public static readonly FrozenSet<string> People = FrozenSet.ToFrozenSet(
    [
        "someone", "somebody", "person", "man", "woman", "male", "female", "guy", "gentleman", "lady", "girl", "boy",
        "wife", "husband", "mother", "father", "he", "she", "i", "who", "patient",
    ]);

    /// <summary>The codes a column of the two sexes is written in.</summary>
    public static readonly FrozenDictionary<string, string[]> SexCodes =
        new Dictionary<string, string[]> { ["m"] = ["male"], ["f"] = ["female"] }.ToFrozenDictionary();

    /// <summary>Keys of the name words that say a column counts something ("num_owners", "NumberOfReviews").</summary>
    public static readonly FrozenSet<string> CountKeys = FrozenSet.ToFrozenSet(new[] { "number", "count" }.Select(Stemmer.Stem));

    /// <summary>A person and a copula in one word: "I'm 23", "she's 40".</summary>
    public static readonly FrozenSet<string> PersonIs = FrozenSet.ToFrozenSet(["i'm", "im", "he's", "she's"]);

    /// <summary>How a yes/no column's values spell "yes".</summary>
    public static readonly FrozenSet<string> TrueWords = FrozenSet.ToFrozenSet(["1", "yes", "true", "y", "t"]);

    /// <summary>How a yes/no column's values spell "no".</summary>
    public static readonly FrozenSet<string> FalseWords = FrozenSet.ToFrozenSet(["0", "no", "false", "n", "f"]);

    /// <summary>Words that start a new clause: a value seldom belongs to a column word on their other side.</summary>
    public static readonly FrozenSet<string> WeakBoundaries = FrozenSet.ToFrozenSet(
        ["and", "but", "while", "who", "whose", "which", "with", "also", "plus", "has", "have", "had"]);

    /// <summary>Common abbreviations in column names and questions, with what they stand for.</summary>
    public static readonly FrozenDictionary<string, string[]> Abbreviations = new Dictionary<string, string[]>
    {
        ["amt"] = ["amount"], ["amnt"] = ["amount"], ["num"] = ["number"], ["nbr"] = ["number"], ["no"] = ["number"],
        ["qty"] = ["quantity"], ["pct"] = ["percent"], ["perc"] = ["percent"], ["yr"] = ["year"], ["yrs"] = ["year"],
        ["mo"] = ["month"], ["mos"] = ["month"], ["mth"] = ["month"], ["mths"] = ["month"], ["wk"] = ["week"],
        ["wks"] = ["week"], ["hr"] = ["hour"], ["hrs"] = ["hour"], ["min"] = ["minimum", "minute"], ["mins"] = ["minute"],
        ["sec"] = ["second"], ["secs"] = ["second"], ["avg"] = ["average"], ["max"] = ["maximum"], ["temp"] = ["temperature"],
        ["dist"] = ["distance"], ["inc"] = ["income"], ["emp"] = ["employment"], ["addr"] = ["address"],
        ["bal"] = ["balance"], ["util"] = ["utilization"], ["curr"] = ["current"], ["cnt"] = ["count"], ["tot"] = ["total"],
        ["acc"] = ["account"], ["acct"] = ["account"], ["dept"] = ["department"], ["mgr"] = ["manager"],
        ["edu"] = ["education"], ["exp"] = ["experience"], ["sqft"] = ["square", "feet"], ["sq"] = ["square"],
        ["ft"] = ["feet"], ["pop"] = ["population"], ["std"] = ["standard"], ["prev"] = ["previous"],
        ["revol"] = ["revolving"], ["delinq"] = ["delinquency"], ["inq"] = ["inquiry"], ["bmi"] = ["body", "mass", "index"],
        ["dob"] = ["birth"], ["info"] = ["information"], ["kms"] = ["km"], ["km"] = ["kilometre"], ["kg"] = ["kilogram"],
        ["mm"] = ["millimetre"], ["cm"] = ["centimetre"], ["g"] = ["gram"], ["lbs"] = ["pound"], ["lb"] = ["pound"],
        ["intl"] = ["international"], ["uk"] = ["united", "kingdom"], ["us"] = ["united", "states"], ["usa"] = ["united", "states"],
        ["id"] = ["identifier"], ["int"] = ["interest"], ["hum"] = ["humidity"], ["cr"] = ["credit"],
        ["l"] = ["litre"], ["ltr"] = ["litre"], ["ml"] = ["millilitre"], ["cc"] = ["millilitre"],
        ["jan"] = ["january"], ["feb"] = ["february"], ["mar"] = ["march"], ["apr"] = ["april"], ["jun"] = ["june"],
        ["jul"] = ["july"], ["aug"] = ["august"], ["sep"] = ["september"], ["sept"] = ["september"], ["oct"] = ["october"],
        ["nov"] = ["november"], ["dec"] = ["december"],
    }.ToFrozenDictionary();

    /// <summary>Words that name the same thing in everyday English: "a 41 year old man" is an age and a male.</summary>
    public static readonly FrozenDictionary<string, string> Related = new Dictionary<string, string>
    {
        ["annual"] = "yearly", ["annually"] = "yearly", ["old"] = "age", ["young"] = "age", ["elderly"] = "age", ["aged"] = "age", ["yo"] = "age", ["y/o"] = "age",
        ["man"] = "male", ["men"] = "male", ["boy"] = "male", ["gentleman"] = "male", ["guy"] = "male",
        ["woman"] = "female", ["women"] = "female", ["girl"] = "female", ["lady"] = "female",
        ["long"] = "length", ["deep"] = "depth", ["wide"] = "width", ["tall"] = "height",
        ["heavy"] = "weight", ["weigh"] = "weight", ["weighs"] = "weight", ["weighing"] = "weight", ["far"] = "distance",
        ["big"] = "size", ["large"] = "size", ["small"] = "size",
        ["earn"] = "income", ["earns"] = "income", ["earning"] = "income", ["earned"] = "income", ["earnings"] = "income",
        ["paid"] = "pay", ["paying"] = "pay", ["pays"] = "pay", ["makes"] = "income", ["making"] = "income",
        ["borrow"] = "loan", ["borrowed"] = "loan", ["borrows"] = "loan", ["borrowing"] = "loan",
        ["kids"] = "children", ["kid"] = "children",
        ["father"] = "male", ["husband"] = "male", ["son"] = "male", ["brother"] = "male",
        ["mother"] = "female", ["wife"] = "female", ["daughter"] = "female", ["sister"] = "female",
        ["make"] = "income", ["prior"] = "previous",
        ["items"] = "quantity", ["item"] = "quantity", ["units"] = "quantity", ["pieces"] = "quantity", ["pcs"] = "quantity",
        ["star"] = "rating", ["stars"] = "rating",
    }.ToFrozenDictionary();
}
