using System.Runtime.CompilerServices;
using Serverless.AutoMl;

namespace Serverless.Chain.Extraction;

/// <summary>What a column takes from a question.</summary>
internal enum ColumnRole
{
    Number,
    /// <summary>Yes/no: boolean, numeric 0/1 (median 0 or 1), or two values that spell yes and no.</summary>
    Flag,
    Category,
    /// <summary>Categories that differ by a number ("term_36", "term_60"): a number picks one.</summary>
    NumberedCategory,
    /// <summary>Text and dates: not read from a question's words (text columns get the question itself).</summary>
    Other,
}

/// <summary>
/// One meaningful word of a column name, with the keys it is found by (Joined: together with a neighbour, "overtime")
/// and how distinctive it is.
/// </summary>
internal sealed record NameWord(string[] Keys, string[] Joined, double Weight, bool IsRate, bool IsPeriod)
{
    /// <summary>In brackets ("mm", "hg" of "Resting BP (mm Hg)"): matches, but the rest of the name says which column it is.</summary>
    public bool Remark { get; init; }

    public bool IsNumber => Keys[0].All(char.IsDigit);
}

/// <summary>An input column as the extractor sees it.</summary>
internal sealed class LexiconColumn
{
    public required ModelColumn Column { get; init; }
    public required ColumnRole Role { get; init; }
    public required IReadOnlyList<NameWord> Words { get; init; }
    public required double TotalWeight { get; init; }
    /// <summary>The share of the name's weight that says "number of" ("num" of "num_owners"): a count before the name says it.</summary>
    public double CountShare { get; init; }
    public required IReadOnlySet<Dimension> Dimensions { get; init; }
    /// <summary>The unit its name states ("duration_months", "weight_kg"); numbers in another unit of the same dimension convert.</summary>
    public Unit? Unit { get; init; }
    /// <summary>The unit its name implies ("age": years); a number in another unit is less likely its value.</summary>
    public Unit? ImpliedUnit { get; init; }
    /// <summary>NumberedCategory: the number or range each value stands for.</summary>
    public IReadOnlyList<ValueRange> Numbered { get; init; } = [];

    public string Name => Column.Name;

    public const int FirstYear = 1800;
    public const int LastYear = 2100;

    /// <summary>Whether a number can be its value: a number column, a yes/no column (0 or 1), numbered categories.</summary>
    public bool Takes(double number) => Role is ColumnRole.Number or ColumnRole.NumberedCategory || (Role == ColumnRole.Flag && number is 0 or 1);

    /// <summary>A number column whose training values are all calendar years (a model year, a year built).</summary>
    public bool HoldsYears => Role == ColumnRole.Number && Column is { Min: >= FirstYear, Max: <= LastYear };
}

/// <summary>
/// A known categorical value as words, each word one or more alternative keys: "Travel_Rarely" is {travel, rar} in any
/// order, "male mar/wid" is {mal, mar or wid}.
/// </summary>
internal sealed record ValuePhrase(LexiconColumn Column, string Value, string[][] Keys, bool Generic)
{
    /// <summary>The same for values that read the same in any column: "High" of one column and of another.</summary>
    public string Signature { get; } = string.Join(' ', Keys.Select(k => string.Join('/', k.Order())).Order());
}

/// <summary>A column word a question word matches, and how strongly.</summary>
internal readonly record struct WordMatch(LexiconColumn Column, int Word, double Strength);

/// <summary>
/// Everything the extractor knows about a schema, built once per deployed model: the words of each input column's name
/// (split, stemmed, abbreviations expanded, weighted by how few columns share them), the dimension and unit each
/// name states, and the categorical values as words.
/// </summary>
internal sealed class ColumnLexicon
{
    private const double AbbreviationStrength = 0.6;
    private const double SharedPrefixStrength = 0.5;
    private const int SharedPrefix = 5;
    private const int StartLength = 4;
    private const int ClippedLength = 3;
    /// <summary>Right after a number, a clipped word is most likely the counted noun it starts.</summary>
    private const double ClippedStrength = 0.8;
    /// <summary>Weaker than the name itself: a phrase's initials spell many things.</summary>
    private const double InitialismStrength = 0.8;
    public const int MinInitials = 2;
    public const int MaxInitials = 4;

    private static readonly ConditionalWeakTable<ModelSchema, ColumnLexicon> Cache = new();
    private static readonly string[] NegatingPrefixes = ["non", "un", "in", "dis"];

    private readonly Dictionary<string, List<(LexiconColumn Column, int Word)>> _byKey = new(StringComparer.Ordinal);
    /// <summary>Short name words ("amnt", "temp", "yrs") by first letter: questions spell them out.</summary>
    private readonly Dictionary<char, List<(string Key, LexiconColumn Column, int Word)>> _short = [];
    /// <summary>Longer name words by their first letters: "pregnancies" meets "pregnant".</summary>
    private readonly Dictionary<string, List<(string Key, LexiconColumn Column, int Word)>> _byPrefix = new(StringComparer.Ordinal);
    /// <summary>Name words by their first four letters: a question's shorter word ("miles") meets "Mileage".</summary>
    private readonly Dictionary<string, List<(string Key, LexiconColumn Column, int Word)>> _byStart = new(StringComparer.Ordinal);
    /// <summary>Name words that are initialisms ("bp", "GDP"), by their letters: questions spell them out word by word.</summary>
    private readonly Dictionary<string, List<(LexiconColumn Column, int Word)>> _initialisms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ValuePhrase>> _valuesByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _valueKeysByPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<char, List<string>> _shortValueKeys = [];
    /// <summary>Names of several words typed as one ("CommuteDistanceKm" in a question is one word), lower case.</summary>
    private readonly Dictionary<string, LexiconColumn> _wholeNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _labelKeys = new(StringComparer.Ordinal);
    private readonly List<string> _labelWords;
    private readonly HashSet<string> _labelNameKeys = new(StringComparer.Ordinal);

    private ColumnLexicon(ModelSchema schema, IReadOnlyList<ModelColumn> inputs)
    {
        var names = inputs.Select(c => ColumnNames.Words(c.Name)).ToArray();
        var frequency = names.SelectMany(words => words.Select(w => w.Keys[0]).Distinct())
            .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Columns = inputs.Select((column, i) => Describe(column, names[i], frequency, inputs.Count)).ToArray();
        foreach (var column in Columns) Index(column);
        Values = ValuePhrases.Of(Columns);
        foreach (var value in Values)
            foreach (var key in value.Keys.SelectMany(k => k).Distinct())
                Add(_valuesByKey, key, value);
        ValueInitialisms = Values.SelectMany(v => ValuePhrases.Initialisms(v.Value))
            .DistinctBy(letters => letters).ToDictionary(letters => letters, WordForms.Key, StringComparer.Ordinal);
        foreach (var key in _valuesByKey.Keys.Where(k => k.Length >= SharedPrefix))
            Add(_valueKeysByPrefix, key[..SharedPrefix], key);
        foreach (var key in _valuesByKey.Keys.Where(k => k.Length is >= 3 and <= StartLength && k.All(char.IsLetter)))
            Add(_shortValueKeys, key[0], key);
        foreach (var name in (schema.Classes ?? []).Append(schema.Label))
        {
            var words = WordForms.SplitName(name);
            foreach (var word in words) _labelKeys.Add(WordForms.Key(word));
            // As one word too: a question writes "SalePrice" or "saleprice" as the label is spelled.
            _labelKeys.Add(WordForms.Key(string.Concat(words)));
        }
        _labelWords = WordForms.SplitName(schema.Label);
        _labelNameKeys.UnionWith(_labelWords.Select(WordForms.Key));
    }

    public static ColumnLexicon For(ColumnVocabulary vocabulary) =>
        Cache.GetValue(vocabulary.Schema, _ => new ColumnLexicon(vocabulary.Schema, vocabulary.Inputs));

    public IReadOnlyList<LexiconColumn> Columns { get; }
    public IReadOnlyList<ValuePhrase> Values { get; }
    /// <summary>Value words written in capitals ("TA", "FB", "SUV"), lower case, with their keys: a phrase's initials spell them.</summary>
    public IReadOnlyDictionary<string, string> ValueInitialisms { get; }

    /// <summary>Words of the label or its classes: what the question asks about, not an input.</summary>
    public bool NamesLabel(Token token) => _labelKeys.Contains(token.Stem);

    /// <summary>Words of the label's own name ("price" of "SalePrice"), not of its classes.</summary>
    public bool NamesLabelColumn(Token token) => _labelNameKeys.Contains(token.Stem);

    public IReadOnlyList<ValuePhrase> ValuesWith(string key) => _valuesByKey.GetValueOrDefault(key) ?? (IReadOnlyList<ValuePhrase>)[];

    /// <summary>Short value words the word spells out: "government" for "gov" in "State-gov", "service" for "serv".</summary>
    public IEnumerable<string> ValueKeysAbbreviating(string stem) =>
        stem.Length <= StartLength || !_shortValueKeys.TryGetValue(stem[0], out var keys) ? []
            : keys.Where(key => key.Length < stem.Length && Abbreviates(key, stem));

    /// <summary>Value words a longer or shorter form of the word shares most letters with: "doctorate" for "Doctor".</summary>
    public IEnumerable<string> ValueKeysSharingPrefix(string stem) =>
        stem.Length < SharedPrefix ? [] : _valueKeysByPrefix.GetValueOrDefault(stem[..SharedPrefix])?
            .Where(key => key != stem && CommonPrefix(key, stem) >= 0.7 * Math.Max(key.Length, stem.Length) - 1) ?? [];

    /// <summary>The column words a question word names: by key, by spelling out an abbreviation, by a long shared prefix.</summary>
    public List<WordMatch> Match(Token token) =>
        token.Kind != TokenKind.Word || token.IsStop ? [] : Match(token.Text, ExpandsAbbreviation(token));

    /// <summary>A yes/no column's words behind a negating prefix: "inactive" names IsActiveMember, negated.</summary>
    public List<WordMatch> MatchNegated(Token token)
    {
        if (token.Kind != TokenKind.Word || token.IsStop) return [];
        var prefix = NegatingPrefixes.FirstOrDefault(p => token.Text.StartsWith(p, StringComparison.Ordinal) && token.Text.Length - p.Length >= 4);
        return prefix is null ? [] : Match(token.Text[prefix.Length..]).Where(m => m.Column.Role == ColumnRole.Flag).ToList();
    }

    /// <summary>Name words two question words make together: "working day" is "workingday", "wind speed" "windspeed".</summary>
    public List<WordMatch> MatchJoined(Token first, Token second) =>
        first.Kind != TokenKind.Word || second.Kind != TokenKind.Word || first.IsStop || second.IsStop ? []
            : (_byKey.GetValueOrDefault(Stemmer.Stem(first.Text + second.Text)) ?? [])
                .Select(m => new WordMatch(m.Column, m.Word, WordForms.Exact)).ToList();

    /// <summary>
    /// The initialism name words the next words' initials spell ("blood pressure" for "bp", "debt to income" for "dti"),
    /// longest first, and how many words spell it. The phrase starts and ends with a content word and has no separator.
    /// </summary>
    public (List<WordMatch> Matches, int Words) MatchInitials(IReadOnlyList<Token> tokens, int at)
    {
        if (_initialisms.Count == 0) return ([], 0);
        for (var length = Math.Min(MaxInitials, tokens.Count - at); length >= MinInitials; length--)
        {
            var phrase = tokens.Skip(at).Take(length).ToArray();
            if (phrase.Any(t => t.Kind != TokenKind.Word) || phrase[0].IsStop || phrase[^1].IsStop || phrase.Skip(1).Any(t => t.StrongBefore))
                continue;
            if (_initialisms.TryGetValue(string.Concat(phrase.Select(t => t.Text[0])), out var words))
                return (words.Select(w => new WordMatch(w.Column, w.Word, InitialismStrength)).ToList(), length);
        }
        return ([], 0);
    }

    /// <summary>The column words a word names (a question's word, or one a number implies: "5 pm" is an hour).</summary>
    public List<WordMatch> Match(string text, bool expandAbbreviations = true)
    {
        var matches = new List<WordMatch>();
        foreach (var form in WordForms.Of(text, expandAbbreviations))
            foreach (var (column, word) in _byKey.GetValueOrDefault(form.Key) ?? [])
                matches.Add(new WordMatch(column, word, form.Strength));
        if (_wholeNames.TryGetValue(text, out var whole))
            matches.AddRange(whole.Words.Select((_, word) => new WordMatch(whole, word, WordForms.Exact)));
        var stem = Stemmer.Stem(text);
        if (stem.Length >= 3 && _short.TryGetValue(stem[0], out var shortWords))
            foreach (var (key, column, word) in shortWords)
                if (key.Length < stem.Length && Abbreviates(key, stem)) matches.Add(new WordMatch(column, word, AbbreviationStrength));
        if (stem.Length >= SharedPrefix && _byPrefix.TryGetValue(stem[..SharedPrefix], out var longWords))
            foreach (var (key, column, word) in longWords)
                if (key != stem && CommonPrefix(key, stem) >= 0.7 * Math.Min(key.Length, stem.Length))
                    matches.Add(new WordMatch(column, word, SharedPrefixStrength));
        // The singular as typed, not the stem: "miles" is "mile", a start of "mileage" ("mil" would start too much).
        var singular = text.TrimEnd('s');
        if (singular.Length == StartLength && _byStart.TryGetValue(singular, out var longer))
            foreach (var (_, column, word) in longer)
                matches.Add(new WordMatch(column, word, SharedPrefixStrength));
        return matches;
    }

    /// <summary>
    /// The name words a three-letter word clips ("bed" of "bedrooms"), for a word right after a number ("4 bed"), where a
    /// clipped noun is what is counted.
    /// </summary>
    public List<WordMatch> MatchClipped(Token token)
    {
        var singular = token.Text.TrimEnd('s');
        if (token.Kind != TokenKind.Word || token.IsStop || singular.Length != ClippedLength || !singular.All(char.IsAsciiLetterLower)) return [];
        return _byStart.Where(e => e.Key.StartsWith(singular, StringComparison.Ordinal))
            .SelectMany(e => e.Value).Select(w => new WordMatch(w.Column, w.Word, ClippedStrength)).ToList();
    }

    /// <summary>
    /// Whether the word says which things a column counts together with the word after it ("week nights" of
    /// "stays_in_week_nights"), so it is no unit of the number before it.
    /// </summary>
    public bool ModifiesNext(IReadOnlyList<Token> tokens, int at) =>
        at + 1 < tokens.Count && !tokens[at + 1].StrongBefore &&
        Match(tokens[at]).Any(m => m.Column.Words[m.Word].IsPeriod && m.Word + 1 < m.Column.Words.Count &&
                                   Match(tokens[at + 1]).Any(n => n.Column == m.Column && n.Word == m.Word + 1));

    /// <summary>
    /// Whether the word and a word near it name the same column: in the same clause, at most two words apart that name
    /// no column or value.
    /// </summary>
    public bool InNameWithNeighbour(IReadOnlyList<Token> tokens, int at)
    {
        var columns = Match(tokens[at]).Select(m => (m.Column, m.Word)).ToHashSet();
        if (columns.Count == 0) return false;
        foreach (var step in (int[])[-1, 1])
        {
            for (int i = at + step, seen = 0; i >= 0 && i < tokens.Count && seen < 3; i += step, seen++)
            {
                if (tokens[Math.Max(i, at)].StrongBefore) break;
                if (tokens[i].IsStop) continue;
                var named = tokens[i].Kind == TokenKind.Word ? Match(tokens[i]) : [];
                if (named.Any(m => columns.Any(c => c.Column == m.Column && c.Word != m.Word))) return true;
                // "average outdoor temp", "avg 70 F": a word that names nothing, or a number, may stand between.
                if (named.Count > 0 || ValuesWith(tokens[i].Stem).Count > 0) break;
            }
        }
        return false;
    }

    /// <summary>
    /// A number that belongs to a column's name rather than being a value: "in the last 6 months" for
    /// "inq_last_6mths", where the word after the number starts the name's next word and the question has the name's
    /// word before it ("I've been here 2 yrs" says nothing of "PromotedLast2Yrs").
    /// </summary>
    public List<WordMatch> MatchNameNumber(IReadOnlyList<Token> tokens, int at)
    {
        var token = tokens[at];
        var matches = new List<WordMatch>();
        if (token.Kind != TokenKind.Number || at + 1 >= tokens.Count || tokens[at + 1].Kind != TokenKind.Word) return matches;
        foreach (var (column, word) in _byKey.GetValueOrDefault(token.Original) ?? [])
            if (word + 1 < column.Words.Count && StartsWord(tokens[at + 1], column.Words[word + 1].Keys) &&
                (word == 0 || tokens.Any(t => t.Kind == TokenKind.Word && StartsWord(t, column.Words[word - 1].Keys))))
                matches.Add(new WordMatch(column, word, WordForms.Exact));
        return matches;
    }

    /// <summary>A number of the label's name, not a value: "readmitted within 30 days" for "readmitted_30d".</summary>
    public bool InLabelName(IReadOnlyList<Token> tokens, int at)
    {
        if (tokens[at].Kind != TokenKind.Number || at + 1 >= tokens.Count || tokens[at + 1].Kind != TokenKind.Word) return false;
        var word = _labelWords.IndexOf(tokens[at].Original);
        return word >= 0 && word + 1 < _labelWords.Count &&
               StartsWord(tokens[at + 1], WordForms.Of(_labelWords[word + 1], expandAbbreviations: true).Select(f => f.Key).ToArray());
    }

    /// <summary>Whether the question's word is a name word (any of its keys) or starts or spells it out: "months" for "mths", "days" for "d".</summary>
    private static bool StartsWord(Token next, string[] keys) =>
        keys.Any(k => next.Text.StartsWith(k, StringComparison.Ordinal) || k == next.Stem || Abbreviates(k, next.Stem));

    /// <summary>Short question words are spelled out only where they cannot be an ordinary word: "US", not "us".</summary>
    public static bool ExpandsAbbreviation(Token token) =>
        !EnglishWords.Negations.Contains(token.Text) && (!token.IsStop || token.Original.All(char.IsUpper));

    /// <summary>"temp" for "temperature", "amnt" for "amount", "yrs" for "years": a prefix, or the consonants in order.</summary>
    private static bool Abbreviates(string abbreviation, string word)
    {
        if (word.StartsWith(abbreviation, StringComparison.Ordinal)) return true;
        if (word.Length > 3 * abbreviation.Length) return false;
        var at = 0;
        foreach (var c in word)
            if (at < abbreviation.Length && c == abbreviation[at]) at++;
        return at == abbreviation.Length && abbreviation[^1] == word[^1];
    }

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }

    /// <summary>
    /// A short name word that is no ordinary word: without vowels ("bp", "hr", "gdp") or in capitals in the name
    /// ("BMI", "systolicBP"). "age" or "tax" are words, not initialisms.
    /// </summary>
    private static bool IsInitialism(string key, string name) =>
        key.Length is >= MinInitials and <= MaxInitials && key.All(char.IsAsciiLetterLower) &&
        (!key.Any(c => c is 'a' or 'e' or 'i' or 'o' or 'u') || name.Contains(key.ToUpperInvariant(), StringComparison.Ordinal));

    private void Index(LexiconColumn column)
    {
        if (column.Words.Count > 1) _wholeNames.TryAdd(string.Concat(WordForms.SplitName(column.Name)), column);
        for (var w = 0; w < column.Words.Count; w++)
        {
            if (IsInitialism(column.Words[w].Keys[0], column.Name)) Add(_initialisms, column.Words[w].Keys[0], (column, w));
            foreach (var key in column.Words[w].Joined) Add(_byKey, key, (column, w));
            foreach (var key in column.Words[w].Keys)
            {
                Add(_byKey, key, (column, w));
                if (key.Length is >= 3 and <= 5 && key.All(char.IsLetter)) Add(_short, key[0], (key, column, w));
                if (key.Length >= SharedPrefix) Add(_byPrefix, key[..SharedPrefix], (key, column, w));
                if (key.Length > StartLength) Add(_byStart, key[..StartLength], (key, column, w));
            }
        }
    }

    private static LexiconColumn Describe(ModelColumn column, List<NameWord> words,
        Dictionary<string, int> frequency, int columns)
    {
        // A word few columns share says more: "satisfaction" in three columns, "environment" in one.
        var weighted = words.Select(w => w with { Weight = Math.Log(1 + (double)columns / frequency[w.Keys[0]]) }).ToArray();
        // A code of letters and digits ("od280", "pm25", "co2") names its column as well as the name's plain words together.
        var plain = weighted.Where(w => !IsCode(w.Keys[0])).Sum(w => w.Weight);
        weighted = weighted.Select(w => IsCode(w.Keys[0]) ? w with { Weight = Math.Max(w.Weight, plain) } : w).ToArray();
        // "BP" names "Resting BP (mm Hg)" as much as "Resting BP": a bracketed remark adds to the name's weight only when it is all there is.
        var total = weighted.Where(w => !w.Remark).Sum(w => w.Weight) is > 0 and var named ? named : weighted.Sum(w => w.Weight);
        var unit = words.Where(w => !w.IsRate && !w.IsPeriod).Select(w => w.Keys.Select(Units.Of).FirstOrDefault(u => u is not null)).OfType<Unit>().FirstOrDefault();
        var numbered = NumberedValues.Of(column);
        return new LexiconColumn
        {
            Column = column,
            Role = RoleOf(column, numbered.Count > 0),
            Words = weighted,
            TotalWeight = total,
            CountShare = total > 0 ? weighted.Where(w => w.Keys.Any(EnglishWords.CountKeys.Contains)).Sum(w => w.Weight) / total : 0,
            // "monthly" in "MonthlyIncome" is a rate and "6mths" a period: neither makes the column a duration. A unit the
            // name states says what it measures: "LengthOfStayDays" is a time, whatever "length" may mean elsewhere.
            Dimensions = unit is not null ? [unit.Dimension]
                : words.Where(w => !w.IsRate && !w.IsPeriod && !w.IsNumber).SelectMany(w => w.Keys.SelectMany(Units.Named)).ToHashSet(),
            Unit = unit,
            ImpliedUnit = words.SelectMany(w => w.Keys).Select(Units.Implied).FirstOrDefault(u => u is not null),
            Numbered = numbered,
        };
    }

    private static bool IsCode(string key) => key.Any(char.IsLetter) && key.Any(char.IsDigit);

    private static ColumnRole RoleOf(ModelColumn column, bool numbered) => column.Kind switch
    {
        ColumnKind.Boolean => ColumnRole.Flag,
        // 0/1 with a median of 0 or 1; a fraction such as humidity (0 to 1, median 0.6) is a number.
        ColumnKind.Numeric when column is { Min: 0, Max: 1, Default: "0" or "1" } => ColumnRole.Flag,
        ColumnKind.Numeric => ColumnRole.Number,
        ColumnKind.Categorical when numbered => ColumnRole.NumberedCategory,
        ColumnKind.Categorical when IsYesNo(column.Values) => ColumnRole.Flag,
        ColumnKind.Categorical => ColumnRole.Category,
        _ => ColumnRole.Other,
    };

    private static bool IsYesNo(IReadOnlyList<string>? values) =>
        values is { Count: 2 } && values.Count(v => EnglishWords.TrueWords.Contains(v.ToLowerInvariant())) == 1 &&
        values.Any(v => WordForms.Key(v.ToLowerInvariant()) == WordForms.Negation);

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> index, TKey key, TValue value) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(value);
    }
}
