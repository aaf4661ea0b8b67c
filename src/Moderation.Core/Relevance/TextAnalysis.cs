using System.Text;

namespace Moderation.Core.Relevance;

/// <summary>
/// Word, term and sentence splitting shared by the lexical features, the article profile and
/// the document-frequency store. A "term" is a lower-cased, lightly stemmed content word (no
/// stop-words, no numbers-only tokens of one digit). Storage that implements
/// <see cref="IDocumentFrequencies"/> must count documents per term produced by <see cref="Terms"/>
/// (or simply per key of <see cref="ArticleProfile.TermCounts"/>).
/// </summary>
public static class TextAnalysis
{
    /// <summary>Words as the user sees them (letters/digits runs, apostrophes inside kept).</summary>
    public static List<string> Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text)) return words;
        var sb = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool inner = (c == '\'' || c == '\u2019' || c == '-') && sb.Length > 0
                         && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);
            if (char.IsLetterOrDigit(c) || inner)
            {
                sb.Append(c);
            }
            else if (sb.Length > 0)
            {
                words.Add(sb.ToString());
                sb.Clear();
            }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    /// <summary>Number of words (same definition as <see cref="Words"/>) without allocating them.</summary>
    public static int WordCount(string? text) => Words(text).Count;

    /// <summary>Normalises one word to its term, or null when it is a stop-word or noise.</summary>
    public static string? ToTerm(string word)
    {
        if (word.Length == 0) return null;
        string w = word.ToLowerInvariant().Replace('\u2019', '\'');
        int apo = w.IndexOf('\'');
        if (apo > 0) w = w[..apo];           // "council's" -> "council", "don't" -> "don" (stop-word)
        w = RemoveDiacritics(w);
        if (w.Length < 2 || EnglishStopWords.Set.Contains(w)) return null;
        if (w.All(char.IsDigit) && w.Length < 2) return null;
        return LightStemmer.Stem(w);
    }

    /// <summary>Terms of one word: a hyphenated word gives one term per part ("low-income" → low, income),
    /// so it meets the same words written apart.</summary>
    public static IEnumerable<string> WordTerms(string word)
    {
        if (!word.Contains('-'))
        {
            var t = ToTerm(word);
            if (t is not null) yield return t;
            yield break;
        }
        foreach (var part in word.Split('-', StringSplitOptions.RemoveEmptyEntries))
        {
            var t = ToTerm(part);
            if (t is not null) yield return t;
        }
    }

    /// <summary>All content terms of a text in order (with repeats).</summary>
    public static List<string> Terms(string? text)
    {
        var terms = new List<string>();
        foreach (var w in Words(text)) terms.AddRange(WordTerms(w));
        return terms;
    }

    /// <summary>Term -> count.</summary>
    public static Dictionary<string, int> TermCounts(string? text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in Terms(text))
            counts[t] = counts.TryGetValue(t, out var n) ? n + 1 : 1;
        return counts;
    }

    /// <summary>
    /// Sentences: split after . ! ? … followed by white space, and at blank lines / line breaks.
    /// Good enough for evidence; abbreviations like "Dr." occasionally split a sentence.
    /// </summary>
    public static List<string> Sentences(string? text)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return result;
        var sb = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || c == '\r')
            {
                Flush(sb, result);
                continue;
            }
            sb.Append(c);
            bool end = c is '.' or '!' or '?' or '\u2026';
            if (end && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])))
                Flush(sb, result);
        }
        Flush(sb, result);
        return result;
    }

    private static void Flush(StringBuilder sb, List<string> into)
    {
        var s = sb.ToString().Trim();
        sb.Clear();
        if (s.Length > 0 && s.Any(char.IsLetterOrDigit)) into.Add(s);
    }

    // Accent folding by table: the service runs with InvariantGlobalization, where string.Normalize is a
    // no-op for non-ASCII text, so FormD decomposition cannot be relied on. Covers Latin-1 and Latin Extended-A.
    private const string AccentedChars = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž";
    private const string FoldedChars = "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzz";

    private static string RemoveDiacritics(string w)
    {
        bool ascii = true;
        foreach (var c in w) if (c > 127) { ascii = false; break; }
        if (ascii) return w;
        var chars = w.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            int k = chars[i] >= '\u00C0' && chars[i] <= '\u017F' ? AccentedChars.IndexOf(chars[i]) : -1;
            if (k >= 0) chars[i] = FoldedChars[k];
        }
        return new string(chars);
    }

    /// <summary>Replaces lone surrogates and control characters so every downstream step sees valid text.</summary>
    public static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c)) sb.Append('\uFFFD');
            else if (char.IsControl(c) && c != '\n' && c != '\r' && c != '\t') sb.Append(' ');
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
