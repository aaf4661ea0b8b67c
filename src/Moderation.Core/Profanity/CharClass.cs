using System.Globalization;
using System.Text;

namespace Moderation.Core.Profanity;

/// <summary>
/// Per-character classification used by the scanner. A class is an int:
/// bits 0..25 = the set of Latin letters the character may stand for (leet is ambiguous: '1' = i|l),
/// plus the flag bits below; 0 means "separator". Tables are built once so the hot loop is one load.
/// </summary>
internal static class CharClass
{
    public const int LetterBits = (1 << 26) - 1;
    public const int Vowels = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20; // a e i o u
    public const int Wild = 1 << 26;     // may stand for any letters (mask char: * # @ $ ! ...)
    public const int Digit = 1 << 27;    // a digit: leet only inside a word that has real letters
    public const int Trim = 1 << 28;     // punctuation-like: dropped at the ends of a word (fuck! *shit*)
    public const int Other = 1 << 29;    // a letter of no Latin look-alike: keeps the word together, matches nothing
    public const int Ignore = 1 << 30;   // invisible: zero-width, soft hyphen, combining marks

    public static readonly int[] Ascii = BuildAscii();
    private static readonly int[] Bmp = BuildBmp();
    private static readonly int[] MathAlnum = BuildRange(0x1D400, 0x1D800);

    public static int L(char c) => 1 << (c - 'a');

    /// <summary>Classify a BMP char (surrogates are handled by the caller).</summary>
    public static int Of(char c) => Bmp[c];

    /// <summary>Classify any code point (supplementary planes: maths alphanumerics, enclosed letters, tags).</summary>
    public static int OfCodePoint(int cp)
    {
        if (cp < 0x10000) return cp is >= 0xD800 and <= 0xDFFF ? 0 : Bmp[cp];
        if (cp is >= 0x1D400 and < 0x1D800) return MathAlnum[cp - 0x1D400];
        // Squared, negative circled and negative squared Latin capitals; regional indicators.
        if (cp is >= 0x1F130 and <= 0x1F149) return 1 << (cp - 0x1F130);
        if (cp is >= 0x1F150 and <= 0x1F169) return 1 << (cp - 0x1F150);
        if (cp is >= 0x1F170 and <= 0x1F189) return 1 << (cp - 0x1F170);
        if (cp is >= 0x1F1E6 and <= 0x1F1FF) return 1 << (cp - 0x1F1E6);
        if (cp is >= 0xE0000 and <= 0xE007F) return Ignore; // tag characters
        if (cp is >= 0xE0100 and <= 0xE01EF) return Ignore; // variation selectors supplement
        return 0;
    }

    private static int[] BuildAscii()
    {
        var t = new int[128];
        for (char c = 'a'; c <= 'z'; c++) { t[c] = L(c); t[c - 32] = L(c); }
        // Leet digits: only used inside words with real letters (see Digit handling in the scanner).
        // Inside a word a digit is also a mask (f4cking, F00k: any digit may hide any vowel).
        const int D = Digit | Wild;
        t['0'] = D | L('o'); t['1'] = D | L('i') | L('l'); t['3'] = D | L('e');
        t['4'] = D | L('a'); t['5'] = D | L('s'); t['7'] = D | L('t');
        t['8'] = D | L('b'); t['9'] = D | L('g'); t['6'] = D | L('g') | L('b');
        t['2'] = D;
        // 'v' is read as u as well (fvck); no lexicon term is spoiled by it.
        t['v'] = t['V'] = L('v') | L('u');
        // Symbols that are letters even at a word edge (@ss, $hit) and also masks inside a word (f#@k).
        t['@'] = L('a') | Wild; t['$'] = L('s') | Wild;
        // Letter-like punctuation: a letter inside a word (sh!t, b|tch), punctuation at its edges.
        t['!'] = L('i') | L('l') | Wild | Trim; t['|'] = L('i') | L('l') | Wild | Trim;
        // Pure masks: wildcards inside a word, markup at its edges (*shit*, #fuck).
        foreach (var m in "*#%^?") t[m] = Wild | Trim;
        return t;
    }

    private static int[] BuildBmp()
    {
        var t = new int[0x10000];
        Array.Copy(Ascii, t, 128);
        var manual = Homoglyphs.Map;
        for (int c = 0x80; c < 0x10000; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            t[c] = Classify((char)c, manual);
        }
        return t;
    }

    private static int Letters(string s)
    {
        int mask = 0;
        foreach (var ch in s) mask |= L(ch);
        return mask;
    }

    private static int Classify(char c, Dictionary<char, string> manual)
    {
        if (Homoglyphs.Invisible(c)) return Ignore;
        if (manual.TryGetValue(c, out var m)) return Letters(m);
        var cat = char.GetUnicodeCategory(c);
        if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return Ignore;
        // CJK and Hangul never fold to Latin: skip the costly normalisation for them.
        bool skip = c is >= '\u3400' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uE000' and <= '\uF8FF';
        if (!skip)
        {
            var b = BaseChar(c.ToString());
            if (b is char bc)
            {
                if (bc < 128) return Ascii[bc] == 0 ? 0 : Ascii[bc];
                if (manual.TryGetValue(bc, out var m2)) return Letters(m2);
            }
        }
        if (!char.IsLetter(c)) return 0;
        // Letters of Latin-adjacent scripts keep a word together; other scripts act as word boundaries.
        return c < 0x0590 || c is >= '\u1D00' and <= '\u1FFF' or >= '\u2C00' and <= '\u2E7F' or >= '\uA640' and <= '\uA7FF' ? Other : 0;
    }

    /// <summary>NFKC then NFD; the single base character if the result is one char plus combining marks.</summary>
    private static char? BaseChar(string s)
    {
        try
        {
            var d = s.Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);
            char? b = null;
            foreach (var ch in d)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
                if (b != null) return null;
                b = ch;
            }
            return b;
        }
        catch (ArgumentException) { return null; }
    }

    private static int[] BuildRange(int from, int to)
    {
        var t = new int[to - from];
        for (int cp = from; cp < to; cp++)
        {
            var b = BaseChar(char.ConvertFromUtf32(cp));
            t[cp - from] = b is char c && c < 128 ? Ascii[c] : 0;
        }
        return t;
    }
}
