namespace Moderation.Core.Profanity;

/// <summary>
/// Rules about kinds of innocent text, applied to each candidate hit (rare, so not on the hot path):
/// allow-listed words/phrases that contain the hit, proper names, embedded hits inside proper nouns,
/// and "word-cum-word" infixes.
/// </summary>
internal static class ContextRules
{
    public static bool Suppressed(ReadOnlySpan<char> text, ReadOnlySpan<Run> runs, Candidate c, LexiconTerm term, SymbolTrie allow, int maxAllowWords)
    {
        int ts = c.A; while (ts > 0 && !runs[ts - 1].IsSep) ts--;
        int te = c.B; while (te + 1 < runs.Length && !runs[te + 1].IsSep) te++;
        int wordStart = runs[ts].Start, wordEnd = runs[te].End;
        if (AllowCovers(runs, c.A, c.B, ts, allow, maxAllowWords)) return true;
        bool joined = (runs[c.A].Flags & Run.Joined) != 0;
        // A hit embedded inside a Capitalised word is a proper noun (Scunthorpe, Matsushita);
        // the word itself, if it is a lexicon entry, is matched separately from its start.
        // Only a hit in the middle counts: one ending the word is a compound insult (Ayushfuck, Dumbfuck).
        if (c.A != ts && c.B < te && !joined && IsCapitalised(text, wordStart, wordEnd)) return true;
        // A prefix hit inside a longer Capitalised word mid-sentence, or followed by a long remainder,
        // is a place or family name too (Shitterton, Wankdorf, Crapstone); listed compounds match whole.
        if (c.A == ts && c.B < te && !joined && IsCapitalised(text, wordStart, wordEnd)
            && (!SentenceStart(text, wordStart) || wordEnd - runs[c.B].End >= 4)) return true;
        if (term.Context.Length > 0 && ContextNearby(text, wordStart, wordEnd, term.Context)) return true;
        // Names: "Dick Van Dyke", "Moby-Dick", "Bloody Mary" - Capitalised beside another Capitalised word.
        if (term.IsName && c.A == ts && IsCapitalised(text, wordStart, wordEnd)
            && (PrevWordCapitalised(text, wordStart) || NextWordCapitalised(text, wordEnd))) return true;
        if (term.IsName && c.A == ts && AfterNameParticle(text, wordStart)) return true; // van Dyke, van dyke
        // "kitchen-cum-diner": a hyphenated infix between two words.
        if (term.IsInfix && wordStart >= 2 && wordEnd + 1 < text.Length && text[wordStart - 1] == '-' && text[wordEnd] == '-'
            && char.IsLetter(text[wordStart - 2]) && char.IsLetter(text[wordEnd + 1])) return true;
        return false;
    }

    private static bool SentenceStart(ReadOnlySpan<char> text, int start)
    {
        for (int j = start - 1; j >= 0; j--)
        {
            char ch = text[j];
            if (char.IsLetterOrDigit(ch) || ch == ',') return false;
            if (ch is '.' or '!' or '?' or '\n') return true;
        }
        return true;
    }

    /// <summary>
    /// Literal senses: a context word (puppies for bitch, pheasant for cock) within a few words either side.
    /// </summary>
    private static bool ContextNearby(ReadOnlySpan<char> text, int start, int end, string[] context)
    {
        const int Window = 60;
        int from = Math.Max(0, start - Window), to = Math.Min(text.Length, end + Window);
        Span<char> word = stackalloc char[24];
        int i = from;
        while (i < to)
        {
            while (i < to && !char.IsLetter(text[i])) i++;
            int n = 0;
            while (i < to && char.IsLetter(text[i])) { if (n < word.Length) word[n] = char.ToLowerInvariant(text[i]); n++; i++; }
            if (n == 0 || n > word.Length) continue;
            foreach (var w in context)
                if (word[..n].SequenceEqual(w)) return true;
        }
        return false;
    }

    /// <summary>First letter upper case and at least one later letter lower case (not ALL CAPS shouting).</summary>
    public static bool IsCapitalised(ReadOnlySpan<char> text, int start, int end)
    {
        int i = start;
        while (i < end && !char.IsLetter(text[i])) i++;
        if (i >= end || !char.IsUpper(text[i])) return false;
        for (int k = i + 1; k < end; k++) if (char.IsLower(text[k])) return true;
        return false;
    }

    private static bool PrevWordCapitalised(ReadOnlySpan<char> text, int start)
    {
        int j = start - 1, gap = 0;
        bool stop = false;
        while (j >= 0 && !char.IsLetter(text[j]))
        {
            char ch = text[j];
            if (++gap > 3 || ch is '\n' or '\r' or ',' or ';' or '(' or ')' or '"') return false;
            if (ch is '.' or '!' or '?' or ':') stop = true;
            j--;
        }
        if (j < 0) return false;
        int end = j;
        while (j >= 0 && (char.IsLetter(text[j]) || text[j] is '\'' or '\u2019')) j--;
        // After a full stop only an initial counts (Philip K. Dick), not a sentence end.
        var word = text[(j + 1)..(end + 1)];
        if (!stop && IsTitle(word)) return true; // Aunt Fanny, Uncle Dick
        return char.IsUpper(text[j + 1]) && (!stop || end == j + 1);
    }

    private static readonly string[] Titles = ["aunt", "auntie", "uncle", "cousin", "mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "saint", "st", "king", "queen", "grandma", "granny", "grandpa", "nan", "nana", "great", "old", "little", "young", "big"];

    private static readonly string[] Particles = ["van", "von", "de", "der", "den", "du", "la", "le", "mac", "mc", "st", "al", "el"];

    private static bool AfterNameParticle(ReadOnlySpan<char> text, int start)
    {
        int j = start - 1;
        if (j < 0 || text[j] is not (' ' or '-')) return false;
        int end = j;
        while (j > 0 && char.IsLetter(text[j - 1])) j--;
        var word = text[j..end];
        foreach (var p in Particles) if (word.Equals(p, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsTitle(ReadOnlySpan<char> word)
    {
        foreach (var t in Titles) if (word.Equals(t, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool NextWordCapitalised(ReadOnlySpan<char> text, int end)
    {
        int j = end, gap = 0;
        if (j + 1 < text.Length && text[j] is '\'' or '\u2019' && text[j + 1] == 's') j += 2; // Hell's Kitchen
        while (j < text.Length && text[j] is ' ' or '-' or '\u00A0') { j++; if (++gap > 2) return false; }
        if (j >= text.Length || !char.IsUpper(text[j])) return false;
        return j + 1 < text.Length && char.IsLower(text[j + 1]); // Capitalised, not an ALL-CAPS word
    }

    /// <summary>Does an allow-list entry cover runs [a..b]? Entries may start up to maxWords words earlier.</summary>
    private static bool AllowCovers(ReadOnlySpan<Run> runs, int a, int b, int ts, SymbolTrie allow, int maxWords)
    {
        int from = ts, words = 1;
        while (from > 1 && words < maxWords && runs[from - 1].IsSep)
        {
            int k = from - 2;
            while (k > 0 && !runs[k - 1].IsSep) k--;
            from = k; words++;
        }
        for (int s = from; s <= a; s++)
            if (!runs[s].IsSep && AllowWalk(runs, s, 0, b, allow)) return true;
        return false;
    }

    private static bool AllowWalk(ReadOnlySpan<Run> runs, int r, int node, int mustReach, SymbolTrie allow)
    {
        // Literal spelling only: a leet digit or a mask is an evasion, not the innocent word ("pr1ck of a manager"
        // is not the allowed "prick of").
        if ((runs[r].Cls & (CharClass.Digit | CharClass.Wild)) != 0) return false;
        int letters = runs[r].Cls & CharClass.LetterBits;
        while (letters != 0)
        {
            int L = System.Numerics.BitOperations.TrailingZeroCount(letters);
            letters &= letters - 1;
            // Literal spelling only: an elongated word (Shiiiite) is an evasion, not the innocent word.
            if (runs[r].Count == 1 && AllowArrive(runs, r, allow.Next(node, L), mustReach, allow)) return true;
            if (runs[r].Count == 2 && AllowArrive(runs, r, allow.Next(node, 26 + L), mustReach, allow)) return true;
        }
        return false;
    }

    private static bool AllowArrive(ReadOnlySpan<Run> runs, int r, int node, int mustReach, SymbolTrie allow)
    {
        if (node == 0) return false;
        if (allow.Value(node) >= 0)
        {
            int e = r; // an allow word also covers its inflections: "blue tit" covers "blue tits"
            while (e + 1 < runs.Length && !runs[e + 1].IsSep) e++;
            if (e >= mustReach) return true;
        }
        int nr = r + 1;
        if (nr >= runs.Length) return false;
        if (!runs[nr].IsSep) return AllowWalk(runs, nr, node, mustReach, allow);
        int sp = allow.Next(node, SymbolTrie.Space);
        return sp != 0 && nr + 1 < runs.Length && !runs[nr + 1].IsSep && AllowWalk(runs, nr + 1, sp, mustReach, allow);
    }
}
