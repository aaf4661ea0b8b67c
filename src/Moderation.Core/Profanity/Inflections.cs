namespace Moderation.Core.Profanity;

/// <summary>
/// The regular English forms of a lexicon term: -s/-es, -ed, -ing, -er(s), -y, -ier, -iest, with the usual
/// spelling changes (bitch -> bitches, shit -> shitting, whore -> whoring, bitchy -> bitchier), and the plural of
/// a phrase: its head noun before "of" (son of a bitch -> sons of bitches, piece of shit -> pieces of shit),
/// else its last word (blow job -> blow jobs). Terms that are already an inflected form
/// (fucking, fucked, twats) get none. Used to expand `word` terms at load time, to decide which clean-corpus
/// words are themselves profane, and to generate the recall test set.
/// </summary>
public static class Inflections
{
    private const string VowelLetters = "aeiou";

    public static IEnumerable<string> Of(string term)
    {
        int of = term.IndexOf(" of ", StringComparison.Ordinal);
        if (of > 0 && term.IndexOf(' ') == of)
        {
            // Plural compounds: son of a bitch -> sons of bitches, piece of shit -> pieces of shit.
            var rest = term[(of + 4)..];
            yield return Plural(term[..of]) + " of " + (rest.StartsWith("a ", StringComparison.Ordinal) ? Plural(rest[2..]) : rest);
            yield break;
        }
        int space = term.LastIndexOf(' ');
        if (space >= 0)
        {
            var last = term[(space + 1)..];
            if (last.Length > 2 && !IsInflected(last)) yield return term[..(space + 1)] + Plural(last);
            yield break;
        }
        if (term.Length < 3 || IsInflected(term)) yield break;
        if (term.EndsWith("er", StringComparison.Ordinal)) { yield return term + "s"; yield break; }
        if (term[^1] == 'y' && !VowelLetters.Contains(term[^2]))
        {
            var stem = term[..^1];
            yield return stem + "ies"; yield return stem + "ier"; yield return stem + "iest";
            yield break;
        }
        yield return Plural(term);
        var v = VowelStem(term);
        yield return v + "ed";
        yield return v + "ing";
        yield return v + "er";
        yield return v + "ers";
        yield return v + "y";
        yield return v + "ier";
        yield return v + "iest";
    }

    /// <summary>Already a form of something else: -ing, -in (fuckin), -ed, -s (but not -ss: piss, ass).</summary>
    private static bool IsInflected(string w) =>
        w.EndsWith("ing", StringComparison.Ordinal) || w.EndsWith("in", StringComparison.Ordinal) && w.Length > 5
        || w.EndsWith("ed", StringComparison.Ordinal) || w[^1] == 's' && w[^2] != 's';

    private static string Plural(string w) =>
        w.EndsWith("s", StringComparison.Ordinal) || w.EndsWith("sh", StringComparison.Ordinal) || w.EndsWith("ch", StringComparison.Ordinal)
        || w[^1] is 'x' or 'z' ? w + "es"
        : w[^1] == 'y' && !VowelLetters.Contains(w[^2]) ? w[..^1] + "ies" : w + "s";

    /// <summary>The stem before a suffix that starts with a vowel: whore -> whor, shit -> shitt (one syllable, CVC), fuck -> fuck.</summary>
    private static string VowelStem(string w)
    {
        if (w[^1] == 'e' && w[^2] != 'e') return w[..^1];
        bool cvc = w.Length >= 3 && !VowelLetters.Contains(w[^1]) && w[^1] is not ('w' or 'x' or 'y')
                   && VowelLetters.Contains(w[^2]) && !VowelLetters.Contains(w[^3]);
        return cvc && VowelGroups(w) == 1 ? w + w[^1] : w;
    }

    private static int VowelGroups(string w)
    {
        int groups = 0;
        for (int i = 0; i < w.Length; i++)
            if (VowelLetters.Contains(w[i]) && (i == 0 || !VowelLetters.Contains(w[i - 1]))) groups++;
        return groups;
    }
}
