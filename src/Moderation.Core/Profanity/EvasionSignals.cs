namespace Moderation.Core.Profanity;

/// <summary>
/// Does the text carry a disguise the lexicon might not see through? Only then may the classifier flag a text
/// on its own (docs/PROFANITY.md, "Score"). The signals are the disguises a writer adds on purpose, never
/// ordinary punctuation: a mask or digit between letters of one word (f#ck, sh1t, b!tch), a word opened by
/// '@' or '$' (@ss, $hit), a look-alike letter from another script or a maths/fullwidth letter beside Latin
/// letters, an invisible character or an HTML entity inside a word, and three or more letters spelled out
/// one by one (f u c k). Dots, dashes and apostrophes are not signals: prose is full of them.
/// One pass, no allocation.
/// </summary>
public static class EvasionSignals
{
    public static bool Present(ReadOnlySpan<char> text)
    {
        int singles = 0, tokenLetters = 0;
        bool disguisePending = false; // a mask/digit run followed a letter in the current word
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiLetter(c))
            {
                if (disguisePending) return true;
                tokenLetters++;
                continue;
            }
            if (c is '*' or '#' or '@' or '$' or '!' or '|' or '%' or '^' or '?' || char.IsAsciiDigit(c))
            {
                if (tokenLetters > 0) { disguisePending = true; continue; }
                // A word opened by @ or $ and then letters (@ss, $hit); "$5" and "@3pm" are not.
                if (c is '@' or '$' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1])) return true;
                continue;
            }
            if (c == '&' && tokenLetters > 0 && HtmlEntity.TryDecode(text[i..], out _, out _)) return true;
            if (c >= 128)
            {
                int cls = char.IsHighSurrogate(c) && i + 1 < text.Length ? CharClass.OfCodePoint(char.ConvertToUtf32(c, text[i + 1])) : CharClass.Of(c);
                if (cls == CharClass.Ignore)
                {
                    if (tokenLetters > 0 && !char.IsLetter(c) && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) return true;
                    continue;
                }
                // Latin-1 and Latin Extended letters (café, Łódź) are spelling; other scripts that fold to Latin are look-alikes.
                bool lookAlike = (cls & CharClass.LetterBits) != 0 && (c >= '\u0250' || char.IsSurrogate(c));
                if (lookAlike && (tokenLetters > 0 || i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))) return true;
                if (char.IsHighSurrogate(c)) { i++; continue; } // emoji and other symbols: not a word character
                if (char.IsLetter(c)) { tokenLetters++; continue; }
            }
            if (c == '\'') continue; // don't, it's
            if (EndWord(ref singles, ref tokenLetters, ref disguisePending)) return true;
        }
        return EndWord(ref singles, ref tokenLetters, ref disguisePending);
    }

    /// <summary>Close a word; true once three single letters in a row have been spelled out.</summary>
    private static bool EndWord(ref int singles, ref int tokenLetters, ref bool disguisePending)
    {
        if (tokenLetters == 1) singles++;
        else if (tokenLetters > 1) singles = 0;
        tokenLetters = 0;
        disguisePending = false;
        return singles >= 3;
    }
}
