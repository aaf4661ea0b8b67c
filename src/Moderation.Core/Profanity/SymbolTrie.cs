namespace Moderation.Core.Profanity;

/// <summary>
/// A trie over run symbols: 0..25 = one or more of a letter, 26..51 = the letter doubled (two or more),
/// 52 = word gap. Terms are run-length encoded on insert, so "fuuuck" walks like "fuck"
/// while "ass" still needs two s's. Flat int arrays: a step is one array load.
/// </summary>
internal sealed class SymbolTrie
{
    public const int Space = 52, Alphabet = 53;
    private int[] _next = new int[Alphabet * 64];
    private int[] _value = new int[64];
    private bool[] _compound = new bool[64];
    private int _nodes = 1;

    public int RootLetters { get; private set; }      // letters that start any term
    public int CompoundLetters { get; private set; }  // letters that start a term allowed inside a word
    public int MaxWords { get; private set; } = 1;

    public SymbolTrie() { _value[0] = -1; }

    /// <summary>
    /// Two-letter prefilter: bit (b) of Pairs[a] (or CompoundPairs[a]) is set when some term (or compound
    /// term) can start with letter a then letter b. Lets the matcher skip most runs without a walk.
    /// </summary>
    public int[] Pairs { get; } = new int[26];
    public int[] CompoundPairs { get; } = new int[26];

    /// <summary>
    /// Three-letter prefilter for the commonest case, three plain one-letter runs a, b, c: bit c of
    /// Triples[a * 26 + b] (or CompoundTriples, where every node must lie on a compound term) is set when a walk
    /// along a, b, c stays alive; all bits are set when a term already ends at a or b. 2 x 676 ints: stays in L1,
    /// while the trie itself is hundreds of KB.
    /// </summary>
    public int[] Triples { get; } = new int[26 * 26];
    public int[] CompoundTriples { get; } = new int[26 * 26];

    private void BuildTriples(int[] table, bool compoundOnly)
    {
        for (int a = 0; a < 26; a++)
        {
            int n1 = Next(0, a);
            if (n1 == 0 || compoundOnly && !_compound[n1]) continue;
            for (int b = 0; b < 26; b++)
            {
                if (_value[n1] >= 0) { table[a * 26 + b] = -1; continue; }
                int n2 = Next(n1, b);
                if (n2 == 0 || compoundOnly && !_compound[n2]) continue;
                if (_value[n2] >= 0) { table[a * 26 + b] = -1; continue; }
                int mask = 0;
                for (int c = 0; c < 26; c++)
                {
                    int n3 = Next(n2, c);
                    if (n3 != 0 && (!compoundOnly || _compound[n3])) mask |= 1 << c;
                }
                table[a * 26 + b] = mask;
            }
        }
    }

    public void BuildPairs()
    {
        BuildTriples(Triples, compoundOnly: false);
        BuildTriples(CompoundTriples, compoundOnly: true);
        for (int a = 0; a < 26; a++)
            foreach (int s1 in (int[])[a, 26 + a])
            {
                int n1 = Next(0, s1);
                if (n1 == 0) continue;
                for (int s2 = 0; s2 < 52; s2++)
                {
                    int n2 = Next(n1, s2);
                    if (n2 == 0) continue;
                    Pairs[a] |= 1 << (s2 % 26);
                    if (_compound[n2]) CompoundPairs[a] |= 1 << (s2 % 26);
                }
                if (_value[n1] >= 0 || Next(n1, Space) != 0) { Pairs[a] = -1; CompoundPairs[a] = -1; } // one-letter terms: no filter
            }
    }

    public int Next(int node, int symbol) => _next[node * Alphabet + symbol];

    // Raw tables for the matcher's inline pre-walk (read only once the lexicon is built).
    internal int[] NextTable => _next;
    internal int[] ValueTable => _value;
    internal bool[] CompoundTable => _compound;
    public int Value(int node) => _value[node];
    public bool HasCompound(int node) => _compound[node];

    /// <summary>Encode plain lower-case text (letters and single spaces) as symbols; false if unusable.</summary>
    public static bool TryEncode(string term, List<int> symbols)
    {
        symbols.Clear();
        int i = 0;
        while (i < term.Length)
        {
            char c = term[i];
            if (c == ' ')
            {
                if (symbols.Count == 0 || symbols[^1] == Space) return false;
                symbols.Add(Space); i++; continue;
            }
            if (c is < 'a' or > 'z') return false;
            int j = i;
            while (j < term.Length && term[j] == c) j++;
            symbols.Add(j - i >= 2 ? 26 + (c - 'a') : c - 'a');
            i = j;
        }
        return symbols.Count > 0 && symbols[^1] != Space;
    }

    /// <summary>Insert; the first value stored for a node wins (earlier lexicon lines take precedence).</summary>
    public void Add(List<int> symbols, int value, bool compound)
    {
        int node = 0, words = 1;
        foreach (var s in symbols)
        {
            if (s == Space) words++;
            if (compound) _compound[node] = true;
            int idx = node * Alphabet + s;
            if (_next[idx] == 0) { int fresh = NewNode(); _next[idx] = fresh; } // NewNode may reallocate _next
            node = _next[idx];
        }
        if (compound) _compound[node] = true;
        if (_value[node] < 0) _value[node] = value;
        int first = symbols[0] % 26;
        RootLetters |= 1 << first;
        if (compound) CompoundLetters |= 1 << first;
        MaxWords = Math.Max(MaxWords, words);
    }

    private int NewNode()
    {
        if (_nodes == _value.Length)
        {
            Array.Resize(ref _value, _nodes * 2);
            Array.Resize(ref _compound, _nodes * 2);
            Array.Resize(ref _next, _nodes * 2 * Alphabet);
        }
        _value[_nodes] = -1;
        return _nodes++;
    }
}
