using System.Buffers;

namespace Moderation.Core.Profanity;

/// <summary>
/// Renders the normalised form that the classifier sees: folded Latin letters (look-alikes, accents,
/// leet and entities resolved; letter runs capped at two), '*' for masks, '#' for numbers and
/// non-Latin letters, one space between words. Built from the same runs as the matcher.
/// </summary>
public static class ProfanityNormalizer
{
    private const int RunWindow = 8192, FlushAt = 4096;

    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var buffer = ArrayPool<char>.Shared.Rent(Math.Min(text.Length, 1 << 20) + 16);
        try
        {
            int n = NormalizeInto(text, ref buffer);
            return n == 0 ? "" : new string(buffer, 0, n);
        }
        finally { ArrayPool<char>.Shared.Return(buffer); }
    }

    /// <summary>
    /// Writes the normalised form of <paramref name="text"/> into <paramref name="buffer"/> (a pooled array,
    /// replaced by a larger pooled one when it is too small; the caller returns whatever it ends up holding)
    /// and returns its length. Same characters as <see cref="Normalize"/>, without allocating a string.
    /// </summary>
    internal static int NormalizeInto(ReadOnlySpan<char> text, ref char[] buffer)
    {
        if (text.IsEmpty) return 0;
        int length = 0;
        var runs = ArrayPool<Run>.Shared.Rent(RunWindow);
        try
        {
            var scanner = new RunScanner(text, runs);
            while (true)
            {
                bool done = scanner.Fill(FlushAt);
                length = Append(ref buffer, length, runs.AsSpan(0, scanner.Count), text);
                if (done) break;
                scanner.Compact(scanner.Count);
            }
        }
        finally { ArrayPool<Run>.Shared.Return(runs); }
        while (length > 0 && char.IsWhiteSpace(buffer[length - 1])) length--; // as string.TrimEnd()
        return length;
    }

    private static int Append(ref char[] buffer, int length, ReadOnlySpan<Run> runs, ReadOnlySpan<char> text)
    {
        int need = length + 2 * runs.Length;
        if (need > buffer.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(need, 2 * buffer.Length));
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = bigger;
        }
        var dst = buffer;
        foreach (ref readonly var run in runs)
        {
            if (run.IsSep) { dst[length++] = ' '; continue; }
            int letters = run.Cls & CharClass.LetterBits;
            // A digit inside a word may stand for any vowel; the classifier sees its look-alike letter (th1s -> this).
            if ((run.Cls & CharClass.Digit) != 0 && text[run.Start] < 128) letters &= CharClass.Ascii[text[run.Start]];
            char ch = (run.Cls & CharClass.Other) != 0 ? '#'
                : letters == (CharClass.L('u') | CharClass.L('v')) ? 'v'
                : letters != 0 ? (char)('a' + System.Numerics.BitOperations.TrailingZeroCount(letters))
                : '*';
            dst[length++] = ch;
            if (run.Count >= 2) dst[length++] = ch;
        }
        return length;
    }
}
