using System.Runtime.CompilerServices;

namespace Moderation.Core.Profanity;

/// <summary>Receives the feature indices of one text, one call per occurrence (a repeated n-gram is added again).</summary>
internal interface IFeatureSink
{
    void Add(int index);
}

/// <summary>
/// The classifier's features of a normalised text (see <see cref="ProfanityNormalizer"/>), the same n-grams
/// that ML.NET's FeaturizeText used to give it, computed without allocation:
/// <list type="bullet">
/// <item>character 1..4-grams over the whole text framed by start/end markers (spaces included, so n-grams
///   see word boundaries). The normalised alphabet is tiny (a-z, '*', '#', space, two markers: 31 symbols in
///   5 bits), so an n-gram's index is its exact 5-bit-per-symbol code: no hashing and no collisions, indices
///   in [0, 2^20);</item>
/// <item>word 1- and 2-grams (words split on spaces), hashed with a fixed FNV-1a + avalanche hash (never
///   string.GetHashCode, which is randomised per process) into 2^WordBits buckets after the character block.</item>
/// </list>
/// The two blocks are weighted by counts and each block is L2-normalised on its own (as FeaturizeText did).
/// </summary>
internal static class ProfanityFeatures
{
    public const int CharGram = 4, SymbolBits = 5;
    public const int CharDimension = 1 << (CharGram * SymbolBits); // 2^20
    public const int DefaultWordBits = 18;
    private const int Start = 30, End = 31, Space = 29, Other = 28, Mask = 27;
    private const uint UnigramSeed = 2166136261u, BigramMix = 0x9E3779B1u;

    public static int Dimension(int wordBits) => CharDimension + (1 << wordBits);

    /// <summary>True when the index belongs to the character block (else the word block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsChar(int index) => index < CharDimension;

    /// <summary>Upper bound of the number of Add calls for a normalised text of the given length.</summary>
    public static int MaxOccurrences(int length) => CharGram * (length + 2) + 2 * (length / 2 + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Symbol(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a' + 1,
        ' ' => Space,
        '*' => Mask,
        _ => Other, // '#' and anything a future normaliser might emit
    };

    public static void Extract<TSink>(ReadOnlySpan<char> normalised, int wordBits, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct
    {
        CharGrams(normalised, ref sink);
        WordGrams(normalised, wordBits, ref sink);
    }

    private static void CharGrams<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct
    {
        // window holds the last four symbols, 5 bits each; a symbol is never 0, so codes of different
        // lengths never collide (an n-gram's code lies in [32^(n-1), 32^n)).
        int window = Start;
        sink.Add(Start);
        int seen = 1;
        for (int i = 0; i <= text.Length; i++)
        {
            int s = i < text.Length ? Symbol(text[i]) : End;
            window = ((window << SymbolBits) | s) & (CharDimension - 1);
            seen++;
            sink.Add(window & 0x1F);
            sink.Add(window & 0x3FF);
            if (seen >= 3) sink.Add(window & 0x7FFF);
            if (seen >= 4) sink.Add(window);
        }
    }

    private static void WordGrams<TSink>(ReadOnlySpan<char> text, int wordBits, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct
    {
        int mask = (1 << wordBits) - 1;
        uint prev = 0;
        bool hasPrev = false;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ') { i++; continue; }
            uint h = UnigramSeed;
            while (i < text.Length && text[i] != ' ') { h = (h ^ text[i]) * 16777619u; i++; }
            h = Avalanche(h);
            sink.Add(CharDimension + (int)(h & (uint)mask));
            if (hasPrev) sink.Add(CharDimension + (int)(Avalanche(prev * BigramMix + h + 0x7F4A7C15u) & (uint)mask));
            prev = h;
            hasPrev = true;
        }
    }

    /// <summary>murmur3's 32-bit finaliser: every input bit reaches every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Avalanche(uint h)
    {
        h ^= h >> 16; h *= 0x85EBCA6Bu;
        h ^= h >> 13; h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
