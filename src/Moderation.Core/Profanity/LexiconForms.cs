namespace Moderation.Core.Profanity;

/// <summary>One generated text: which family of disguise, which listed term, and the text itself.</summary>
public sealed record GeneratedForm(string Family, string Term, string Text);

/// <summary>
/// Every form of a listed word, generated from the lexicon itself: each term plain, its regular inflections and
/// plural compounds (<see cref="Inflections"/>), and each evasion family the scanner claims to undo (leet digits
/// inside words, spacing, dots, dashes, masks, Cyrillic look-alikes, repeated letters, zero-width characters,
/// HTML entities). Forms that are an innocent word on the allow-list (cocky, titter) are not generated: the
/// allow-list is the lexicon's own statement that they are clean. Each text sits in a neutral sentence.
/// </summary>
public static class LexiconForms
{
    private const string Frame = "i said {0} again today";
    private static readonly Dictionary<char, char> Leet = new() { ['a'] = '4', ['e'] = '3', ['i'] = '1', ['o'] = '0', ['s'] = '5', ['t'] = '7' };
    private static readonly Dictionary<char, char> Cyrillic = new() { ['a'] = 'а', ['e'] = 'е', ['o'] = 'о', ['c'] = 'с', ['p'] = 'р', ['x'] = 'х', ['y'] = 'у' };

    public static IEnumerable<GeneratedForm> Generate(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        var allowWords = lexicon.AllowList.Where(a => !a.Contains(' ')).ToList();
        bool Innocent(string w) => allowWords.Any(a => w.Contains(a, StringComparison.Ordinal));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in lexicon.Listed)
        {
            var term = Lexicon.NormaliseTerm(t.Term);
            // A listed term inside an allow word is the lexicon overruling itself (crappier inside crappie-r): skipped.
            if (term.Length == 0 || !seen.Add(term) || Innocent(term)) continue;
            yield return Form("plain", term, term);
            foreach (var form in Inflections.Of(term))
                if (!Innocent(form)) yield return Form(form.Contains(' ') ? "plural compound" : "inflection", term, form);
            if (term.Contains(' ') || term.Length < 3) continue;
            foreach (var (family, text) in Evasions(term))
                yield return Form(family, term, text);
        }
    }

    private static GeneratedForm Form(string family, string term, string text) => new(family, term, string.Format(System.Globalization.CultureInfo.InvariantCulture, Frame, text));

    private static IEnumerable<(string Family, string Text)> Evasions(string w)
    {
        int leet = Interior(w, c => Leet.ContainsKey(c));
        if (leet > 0) yield return ("leet digit", Replace(w, leet, Leet[w[leet]].ToString()));
        yield return ("spacing", string.Join(' ', w.ToCharArray()));
        yield return ("dots", string.Join('.', w.ToCharArray()));
        yield return ("dashes", string.Join('-', w.ToCharArray()));
        int vowel = Interior(w, c => "aeiou".Contains(c));
        if (vowel > 0) yield return ("mask", Replace(w, vowel, "*"));
        if (w.Any(Cyrillic.ContainsKey)) yield return ("homoglyph", new string(w.Select(c => Cyrillic.TryGetValue(c, out var h) ? h : c).ToArray()));
        int first = w.IndexOfAny("aeiou".ToCharArray());
        if (first >= 0) yield return ("repeat", Replace(w, first, new string(w[first], 4)));
        yield return ("zero-width", w[..1] + "\u200B" + w[1..]);
        yield return ("html entity", Replace(w, 1, $"&#{(int)w[1]};"));
    }

    /// <summary>First position strictly inside the word whose letter passes, else -1.</summary>
    private static int Interior(string w, Func<char, bool> ok)
    {
        for (int i = 1; i < w.Length - 1; i++) if (ok(w[i])) return i;
        return -1;
    }

    private static string Replace(string w, int i, string with) => w[..i] + with + w[(i + 1)..];
}
