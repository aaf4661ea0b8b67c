using System.Buffers;
using System.Text;

namespace Moderation.Core.Profanity;

/// <summary>
/// Renders the normalised form that the classifier sees: folded Latin letters (look-alikes, accents,
/// leet and entities resolved; letter runs capped at two), '*' for masks, '#' for numbers and
/// non-Latin letters, one space between words. Built from the same runs as the matcher.
/// </summary>
public static class ProfanityNormalizer
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(Math.Min(text.Length, 1 << 20));
        var runs = ArrayPool<Run>.Shared.Rent(8192);
        try
        {
            var scanner = new RunScanner(text, runs);
            while (true)
            {
                bool done = scanner.Fill(4096);
                Append(sb, runs.AsSpan(0, scanner.Count));
                if (done) break;
                scanner.Compact(scanner.Count);
            }
        }
        finally { ArrayPool<Run>.Shared.Return(runs); }
        return sb.ToString().TrimEnd();
    }

    private static void Append(StringBuilder sb, ReadOnlySpan<Run> runs)
    {
        foreach (ref readonly var run in runs)
        {
            if (run.IsSep) { sb.Append(' '); continue; }
            int letters = run.Cls & CharClass.LetterBits;
            char ch = (run.Cls & CharClass.Other) != 0 ? '#'
                : letters == (CharClass.L('u') | CharClass.L('v')) ? 'v'
                : letters != 0 ? (char)('a' + System.Numerics.BitOperations.TrailingZeroCount(letters))
                : '*';
            sb.Append(ch);
            if (run.Count >= 2) sb.Append(ch);
        }
    }
}
