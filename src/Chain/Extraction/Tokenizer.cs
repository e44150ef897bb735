using System.Globalization;

namespace Serverless.Chain.Extraction;

/// <summary>
/// Splits a question into words and numbers in one pass: "1,500" and "12.5%" are numbers, "$3k" is 3000 (money),
/// "79.99/month" is a number a slash follows, "36mo" is a number and a word, "-121.4" is negative, "c1" and "z95838" are words; "-", "_" and "/" between words
/// are spaces ("y/o" and "w/o" are words); ",", ";", ".", "!", "?", "|", brackets (but an opening one before a number), tabs and
/// line breaks are boundaries.
/// </summary>
internal static class Tokenizer
{
    public static List<Token> Read(string text)
    {
        var tokens = new List<Token>();
        var strong = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || IsInnerApostrophe(text, i))) i++;
                if (IsLetterSlashLetter(text, start, i)) i += 2;
                Add(tokens, new Token(tokens.Count, start, i, text[start..i]), ref strong);
            }
            else if (char.IsDigit(c) || (c == '.' && Next(text, i, char.IsDigit)) || (IsMinus(c) && StartsNegative(text, i)))
            {
                i = ReadNumber(text, i, tokens, ref strong);
            }
            else
            {
                if (IsBoundary(text, i)) strong = true;
                i++;
            }
        }
        return tokens;
    }

    private static int ReadNumber(string text, int i, List<Token> tokens, ref bool strong)
    {
        var start = i;
        var negative = IsMinus(text[i]);
        if (negative) i++;
        var digits = i;
        while (i < text.Length && (char.IsDigit(text[i]) || IsGroupComma(text, i) || IsGroupSpace(text, digits, i) ||
                                   (text[i] == '.' && Next(text, i, char.IsDigit)))) i++;
        var number = double.Parse(string.Concat(text[digits..i].Where(c => c != ',' && !IsSpace(c))), CultureInfo.InvariantCulture);
        var token = new Token(tokens.Count, start, i, text[start..i])
        {
            Kind = TokenKind.Number,
            Number = negative ? -number : number,
            Currency = start > 0 && IsCurrency(text[start - 1]),
        };
        if (i < text.Length && text[i] == '%') { token.Percent = true; i++; }
        else if (i < text.Length && (text[i] is 'k' or 'K') && !Next(text, i, char.IsLetter)) { token.Number *= 1000; i++; }
        token.End = i;
        token.SlashAfter = i < text.Length && text[i] == '/' && Next(text, i, char.IsLetter);
        Add(tokens, token, ref strong);
        return i;
    }

    private static void Add(List<Token> tokens, Token token, ref bool strong)
    {
        token.StrongBefore = strong;
        strong = false;
        tokens.Add(token);
    }

    private static bool IsBoundary(string text, int i) => text[i] switch
    {
        ',' or ';' or '!' or '?' or ')' or '[' or ']' or '|' or '\t' or '\n' or '\r' or '—' or '–' => true,
        // "proline (1500)": a bracketed number belongs to the words before it; a bracketed remark is a clause of its own.
        '(' => !NumberFollows(text, i),
        '.' => !Next(text, i, char.IsDigit),
        _ => false,
    };

    /// <summary>"1,500" groups thousands; "500, 20" is a list.</summary>
    private static bool IsGroupComma(string text, int i) =>
        text[i] == ',' && Digits(text, i + 1, 3) && !(i + 4 < text.Length && char.IsDigit(text[i + 4]));

    /// <summary>
    /// "15 000" and "1 250 000" group thousands with a space: after one to three digits (or an earlier group), exactly
    /// three digits follow. "2 5" or "3 2021" are two numbers.
    /// </summary>
    private static bool IsGroupSpace(string text, int digits, int i)
    {
        if (!IsSpace(text[i]) || !Digits(text, i + 1, 3) || (i + 4 < text.Length && char.IsLetterOrDigit(text[i + 4]))) return false;
        var groups = text[digits..i].Split([' ', '\u00A0', '\u202F']);
        return groups[0].Length is >= 1 and <= 3 && groups.All(g => g.All(char.IsDigit)) && groups.Skip(1).All(g => g.Length == 3);
    }

    private static bool IsSpace(char c) => c is ' ' or '\u00A0' or '\u202F';

    private static bool Digits(string text, int from, int count)
    {
        if (from + count > text.Length) return false;
        for (var k = from; k < from + count; k++) if (!char.IsDigit(text[k])) return false;
        return true;
    }

    private static bool IsInnerApostrophe(string text, int i) =>
        text[i] is '\'' or '’' && i > 0 && char.IsLetter(text[i - 1]) && Next(text, i, char.IsLetter);

    private static bool IsMinus(char c) => c is '-' or '−';

    /// <summary>A minus starts a negative number only where no word or number ends right before it ("-121.4", not "10-20").</summary>
    private static bool StartsNegative(string text, int i) =>
        Next(text, i, char.IsDigit) && (i == 0 || !char.IsLetterOrDigit(text[i - 1]));

    /// <summary>"y/o", "w/o": one letter, a slash and one letter that spell a known abbreviation are one word.</summary>
    private static bool IsLetterSlashLetter(string text, int start, int end)
    {
        if (end - start != 1 || end + 1 >= text.Length || text[end] != '/' || !char.IsLetter(text[end + 1]) ||
            (end + 2 < text.Length && char.IsLetterOrDigit(text[end + 2]))) return false;
        var word = text[start..(end + 2)].ToLowerInvariant();
        return EnglishWords.Related.ContainsKey(word) || EnglishWords.Negations.Contains(word);
    }

    private static bool NumberFollows(string text, int i)
    {
        var next = i + 1;
        while (next < text.Length && text[next] == ' ') next++;
        return next < text.Length && (char.IsDigit(text[next]) || IsCurrency(text[next]) || IsMinus(text[next]));
    }

    private static bool IsCurrency(char c) => c is '$' or '€' or '£';

    private static bool Next(string text, int i, Func<char, bool> test) => i + 1 < text.Length && test(text[i + 1]);
}
