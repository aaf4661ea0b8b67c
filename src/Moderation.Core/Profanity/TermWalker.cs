using System.Numerics;

namespace Moderation.Core.Profanity;

/// <summary>A lexicon hit in run coordinates: runs [A..B] matched term Term.</summary>
internal readonly record struct Candidate(int A, int B, int Term);

/// <summary>
/// Depth-first walk of the term trie over the runs starting at one run. Ambiguous runs (leet '1' = i|l)
/// try each letter; a run of 2+ may take a single or a doubled edge; mask runs (f**k) stand for
/// 0..n+1 letters. Acceptance (word / prefix / compound, mask guards) is decided here; the
/// context filters (allow-list, names) are applied by the caller on each accepted candidate.
/// </summary>
internal ref struct TermWalker
{
    private const int Vowels = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20 | 1 << 24; // a e i o u y
    private readonly ReadOnlySpan<Run> _runs;
    private readonly SymbolTrie _trie;
    private readonly IReadOnlyList<LexiconTerm> _terms;
    private int _start;
    private bool _atTokenStart, _joined;
    public Span<Candidate> Found;
    public int FoundCount;

    public TermWalker(ReadOnlySpan<Run> runs, SymbolTrie trie, IReadOnlyList<LexiconTerm> terms, Span<Candidate> found)
    {
        _runs = runs; _trie = trie; _terms = terms; Found = found;
    }

    /// <summary>Collect candidates starting at run r (up to Found.Length).</summary>
    public void WalkFrom(int r, bool atTokenStart)
    {
        _start = r; _atTokenStart = atTokenStart; _joined = (_runs[r].Flags & Run.Joined) != 0;
        FoundCount = 0;
        Step(r, 0, 0, 0);
    }

    private void Step(int r, int node, int lit, int wild)
    {
        if (FoundCount == Found.Length) return;
        ref readonly var run = ref _runs[r];
        int cls = run.Cls;
        int letters = cls & CharClass.LetterBits;
        // Mid-word starts may only continue along compound terms (embedded "fuck" in "clusterfuck").
        bool compoundOnly = !_atTokenStart && !_joined;
        while (letters != 0)
        {
            int L = BitOperations.TrailingZeroCount(letters);
            letters &= letters - 1;
            // Two of a consonant is a spelled double (assess is not "asses"); vowels and 3+ are elongation.
            // (At the very start of a word it is a stutter: "ffuk".)
            int n1 = run.Count == 2 && (Vowels & (1 << L)) == 0 && !(r == _start && _atTokenStart) ? 0 : _trie.Next(node, L);
            if (n1 != 0 && (!compoundOnly || _trie.HasCompound(n1))) Arrive(r, n1, lit + 1, wild);
            if (run.Count >= 2)
            {
                int n2 = _trie.Next(node, 26 + L);
                if (n2 != 0 && (!compoundOnly || _trie.HasCompound(n2))) Arrive(r, n2, lit + 2, wild);
            }
        }
        if (run.Count == 1 && r + 1 < _runs.Length && _runs[r + 1].Count == 1 && !_runs[r + 1].IsSep) DoubleAcross(r, node, lit, wild, compoundOnly);
        if ((cls & CharClass.Wild) != 0 && node != 0 && !compoundOnly)
        {
            bool exact = (run.Flags & Run.Exact) != 0;
            // Capped so long mask runs cannot blow up the walk.
            int min = exact ? run.Count : 0, max = exact ? run.Count : Math.Min(run.Count + 1, 5);
            if (max <= 8) WildSpan(r, node, lit, wild, 0, min, max);
        }
    }

    /// <summary>
    /// A doubled letter of a term split over two runs because one of them is disguised: "a5s", "bu7t" (leet
    /// beside the real letter), "p*of" (a mask beside it). Plain runs never share a letter (they would be one run).
    /// </summary>
    private void DoubleAcross(int r, int node, int lit, int wild, bool compoundOnly)
    {
        int cls = _runs[r].Cls, next = _runs[r + 1].Cls;
        bool masked = (cls & CharClass.Wild) != 0 && (cls & CharClass.Digit) == 0;
        // A mask doubles only a real letter beside it (p*of), never another symbol ("@#$%" is not "ass").
        if (masked && (node == 0 || compoundOnly || (next & (CharClass.Wild | CharClass.Digit)) != 0)) return;
        int shared = (masked ? CharClass.LetterBits : cls) & next & CharClass.LetterBits;
        while (shared != 0)
        {
            int L = BitOperations.TrailingZeroCount(shared);
            shared &= shared - 1;
            int n2 = _trie.Next(node, 26 + L);
            if (n2 != 0 && (!compoundOnly || _trie.HasCompound(n2))) Arrive(r + 1, n2, masked ? lit + 1 : lit + 2, masked ? wild + 1 : wild);
        }
    }

    /// <summary>Let mask run r stand for between min and max letters, from node.</summary>
    private void WildSpan(int r, int node, int lit, int wild, int used, int min, int max)
    {
        if (used >= min && used > 0) Arrive(r, node, lit, wild + used);
        else if (used == 0 && min == 0) Continue(r, node, lit, wild); // the mask stood for nothing (f*u*c*k)
        if (used >= max) return;
        for (int s = 0; s < 52; s++)
        {
            int n = _trie.Next(node, s);
            if (n == 0) continue;
            int add = s >= 26 ? 2 : 1;
            if (used + add <= max) WildSpan(r, n, lit, wild, used + add, min, max);
        }
    }

    private void Arrive(int r, int node, int lit, int wild)
    {
        int v = _trie.Value(node);
        if (v >= 0) Accept(r, v, lit, wild);
        Continue(r, node, lit, wild);
    }

    /// <summary>Move on to the run after r, crossing a word gap only along a phrase edge.</summary>
    private void Continue(int r, int node, int lit, int wild)
    {
        int nr = r + 1;
        if (nr >= _runs.Length) return;
        if (!_runs[nr].IsSep) { Step(nr, node, lit, wild); return; }
        int sp = _trie.Next(node, SymbolTrie.Space);
        if (sp != 0 && nr + 1 < _runs.Length && !_runs[nr + 1].IsSep) Step(nr + 1, sp, lit, wild);
    }

    private void Accept(int end, int term, int lit, int wild)
    {
        var t = _terms[term];
        bool endsWord = end + 1 >= _runs.Length || _runs[end + 1].IsSep;
        bool ok = t.Kind switch
        {
            TermMatchKind.Word => _atTokenStart && endsWord,
            TermMatchKind.Prefix => _atTokenStart,
            _ => true,
        };
        // Spelled-out letters ("y o u a d i c k") carry no word boundaries of their own.
        if (!ok && _joined && lit >= 4 && (_runs[end].Flags & Run.Joined) != 0) ok = true;
        if (ok && wild > 0)
        {
            // Masked words must be a whole word from its start, mostly real letters.
            bool exact = (_runs[end].Flags & Run.Exact) != 0;
            ok = _atTokenStart && (t.Kind != TermMatchKind.Word || endsWord)
                 && (exact ? endsWord && lit >= 1 && lit + wild >= 3 && t.Severity != Severity.Slur : lit >= 2 && wild <= lit + 2 && (wild < lit || lit + wild >= 4));
        }
        if (ok && FoundCount < Found.Length) Found[FoundCount++] = new Candidate(_start, end, term);
    }
}
