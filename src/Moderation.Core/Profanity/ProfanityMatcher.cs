using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Moderation.Core.Profanity;

/// <summary>
/// Lexicon matcher over the normalised run stream. One pass builds runs (no per-char allocation);
/// each word start (and, for compound terms, each run inside a word) is tried against the trie only
/// when its letters can begin a term. Long texts are processed in windows of runs that keep the last
/// few words so phrases and allow-list phrases can straddle a window edge.
/// </summary>
public sealed class ProfanityMatcher
{
    private const int StackRuns = 512, BufferRuns = 8192, FlushAt = 4096, MaxCandidates = 16;
    private readonly SymbolTrie _terms, _allow;
    private readonly IReadOnlyList<LexiconTerm> _entries;
    private readonly int _tailWords;

    public ProfanityMatcher(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Lexicon = lexicon;
        _terms = lexicon.Terms; _allow = lexicon.Allow; _entries = lexicon.Entries;
        _tailWords = Math.Max(_terms.MaxWords, _allow.MaxWords);
    }

    public Lexicon Lexicon { get; }

    /// <summary>Fast path: true as soon as one lexicon hit survives the context rules.
    /// A text with no letter at all ("@#$%!", "$#!+") is punctuation, never a masked word.</summary>
    public bool ContainsProfanity(ReadOnlySpan<char> text) => Scan(text, null) && HasLetter(text);

    /// <summary>All hits, longest first where they overlap, in text order; spans index the original string.</summary>
    public IReadOnlyList<ProfanityMatch> FindMatches(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var hits = new List<(int Start, int End, int Term)>();
        Scan(text, hits);
        if (hits.Count == 0 || !HasLetter(text)) return [];
        // Text order; at one start the longest span; on equal spans the earlier lexicon line (fuck before fck).
        hits.Sort((x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start)
            : x.End != y.End ? (y.End - y.Start).CompareTo(x.End - x.Start) : x.Term.CompareTo(y.Term));
        var result = new List<ProfanityMatch>(hits.Count);
        int covered = -1;
        foreach (var (s, e, t) in hits)
        {
            if (s < covered) continue; // overlaps a longer hit already reported
            var term = _entries[t];
            result.Add(new ProfanityMatch(s, e, text[s..e], term.Term, term.Severity, term.Category));
            covered = e;
        }
        return result;
    }

    /// <summary>
    /// A letter, a look-alike letter (circled, fullwidth, Cyrillic) or an HTML entity of one; leet digits and
    /// masks are not letters. Checked only after a hit (rare), so the clean path pays nothing.
    /// </summary>
    private static bool HasLetter(ReadOnlySpan<char> text)
    {
        const int NotALetter = CharClass.Wild | CharClass.Digit | CharClass.Trim;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int cls;
            if (c == '&' && HtmlEntity.TryDecode(text[i..], out int cp, out _)) cls = CharClass.OfCodePoint(cp);
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) cls = CharClass.OfCodePoint(char.ConvertToUtf32(c, text[++i]));
            else cls = CharClass.Of(c);
            if ((cls & CharClass.LetterBits) != 0 && (cls & NotALetter) == 0 && cls != CharClass.Ignore) return true;
        }
        return false;
    }

    private bool Scan(ReadOnlySpan<char> text, List<(int, int, int)>? sink)
    {
        if (text.IsEmpty) return false;
        Run[]? rented = null;
        Span<Run> runs = text.Length < StackRuns - 2 ? stackalloc Run[text.Length + 2] : (rented = ArrayPool<Run>.Shared.Rent(BufferRuns));
        try
        {
            var scanner = new RunScanner(text, runs);
            int from = 0;
            while (true)
            {
                bool done = scanner.Fill(FlushAt);
                int count = scanner.Count;
                int limit = done ? count : TailStart(runs[..count], _tailWords);
                if (MatchRange(text, runs[..count], from, limit, sink) && sink == null) return true;
                if (done) return sink is { Count: > 0 };
                int keep = TailStart(runs[..count], 2 * _tailWords);
                scanner.Compact(keep);
                from = limit - keep;
            }
        }
        finally
        {
            if (rented != null) ArrayPool<Run>.Shared.Return(rented);
        }
    }

    /// <summary>Index of the first run of the last <paramref name="words"/> words (buffer ends with a Sep).</summary>
    private static int TailStart(ReadOnlySpan<Run> runs, int words)
    {
        int seps = 0;
        for (int r = runs.Length - 1; r >= 0; r--)
            if (runs[r].IsSep && ++seps == words + 1) return r + 1;
        return 0;
    }

    private bool MatchRange(ReadOnlySpan<char> text, ReadOnlySpan<Run> runs, int from, int limit, List<(int, int, int)>? sink)
    {
        Span<Candidate> found = stackalloc Candidate[MaxCandidates];
        var walker = new TermWalker(runs, _terms, _entries, found);
        bool any = false;
        for (int r = from; (r = NextStart(runs, r, limit, _terms)) < limit; r++)
        {
            walker.WalkFrom(r, r == 0 || runs[r - 1].IsSep);
            for (int k = 0; k < walker.FoundCount; k++)
            {
                var c = found[k];
                var term = _entries[c.Term];
                if (ContextRules.Suppressed(text, runs, c, term, _allow, _tailWords)) continue;
                any = true;
                if (sink == null) return true;
                sink.Add((runs[c.A].Start, runs[c.B].End, c.Term));
            }
        }
        return any;
    }

    /// <summary>
    /// The hot loop: the first run in [r, limit) from which the <see cref="TermWalker"/> could find a candidate,
    /// else limit. Kept apart from the walk and the context rules so its few locals stay in registers.
    /// Filters, cheapest first: the first letter; three plain one-letter runs against an L1-resident table
    /// (else a two-letter table); then an inline walk of the trie along plain letters (<see cref="MayStart"/>).
    /// </summary>
    private static int NextStart(ReadOnlySpan<Run> runs, int r, int limit, SymbolTrie trie)
    {
        int rootLetters = trie.RootLetters, compoundLetters = trie.CompoundLetters;
        for (; r < limit; r++)
        {
            int cls = runs[r].Cls;
            if (cls == Run.Sep) continue;
            bool rootSet = r == 0 || runs[r - 1].Cls == Run.Sep || (runs[r].Flags & Run.Joined) != 0;
            if ((cls & (rootSet ? rootLetters : compoundLetters)) == 0) continue; // no term starts with this letter
            if (r + 2 < runs.Length && PlainOne(runs[r]) && PlainOne(runs[r + 1]) && PlainOne(runs[r + 2]))
            {
                int a = BitOperations.TrailingZeroCount(cls), b = BitOperations.TrailingZeroCount(runs[r + 1].Cls);
                if (((rootSet ? trie.Triples : trie.CompoundTriples)[a * 26 + b] & runs[r + 2].Cls) == 0) continue;
            }
            else if ((cls & ~CharClass.LetterBits) == 0 && (cls & (cls - 1)) == 0 && r + 1 < runs.Length)
            {
                // A plain letter followed by a plain letter that no term continues with.
                int nextCls = runs[r + 1].Cls;
                if (nextCls != Run.Sep && (nextCls & ~CharClass.LetterBits) == 0
                    && ((rootSet ? trie.Pairs : trie.CompoundPairs)[BitOperations.TrailingZeroCount(cls)] & nextCls) == 0) continue;
            }
            if (MayStart(runs, r, !rootSet, trie)) return r;
        }
        return limit;
    }

    /// <summary>One occurrence of exactly one plain letter (no leet set, mask, digit or repeat).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PlainOne(in Run run) => run.Count == 1 && (run.Cls & ~CharClass.LetterBits) == 0 && (run.Cls & (run.Cls - 1)) == 0;

    /// <summary>
    /// Inline pre-walk of the term trie along plain one-letter runs (the common case in ordinary text).
    /// False only when the <see cref="TermWalker"/> could not find a candidate from run r either: the path
    /// dies before any term ends, before any ambiguous, repeated, masked or flagged run, and before a word gap
    /// that a phrase could cross. Anything else is left to the walker (true).
    /// </summary>
    private static bool MayStart(ReadOnlySpan<Run> runs, int r, bool compoundOnly, SymbolTrie trie)
    {
        int[] next = trie.NextTable, value = trie.ValueTable;
        bool[] compound = trie.CompoundTable;
        int node = 0;
        while (true)
        {
            int cls = runs[r].Cls;
            if (runs[r].Count != 1 || (cls & ~CharClass.LetterBits) != 0 || (cls & (cls - 1)) != 0) return true;
            node = next[node * SymbolTrie.Alphabet + BitOperations.TrailingZeroCount(cls)];
            if (node == 0 || (compoundOnly && !compound[node])) return false;
            if (value[node] >= 0) return true;
            if (++r >= runs.Length) return false;
            if (runs[r].IsSep) return next[node * SymbolTrie.Alphabet + SymbolTrie.Space] != 0;
        }
    }
}
