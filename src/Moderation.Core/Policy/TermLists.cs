using System.Globalization;
using System.Text;
using Moderation.Core.Scoring;

namespace Moderation.Core.Policy;

/// <summary>
/// The admin's own word lists applied on top of the scorer: banned terms hide and queue, suspect
/// terms only flag, and allow-list terms remove profanity matches on exactly those words.
/// Matching is whole-word, case- and accent-insensitive; spans point into the original text.
/// </summary>
public static class TermLists
{
    public static IReadOnlyList<Reason> Apply(string text, IReadOnlyList<Reason> reasons, ModerationSettings settings)
    {
        var result = reasons.Select(r => AllowFilter(r, settings.AllowTerms)).OfType<Reason>().ToList();
        if (settings.BannedTerms.Count + settings.SuspectTerms.Count == 0) return result;
        var folded = Fold(text);
        AddMatches(result, ReasonCodes.BannedTerm, 1.0, folded, text, settings.BannedTerms);
        AddMatches(result, ReasonCodes.SuspectTerm, 0.6, folded, text, settings.SuspectTerms);
        return result;
    }

    /// <summary>Drops profanity spans on allowed words; the reason goes when none is left.</summary>
    static Reason? AllowFilter(Reason reason, IReadOnlyList<string> allow)
    {
        if (reason.Code != ReasonCodes.Profanity || allow.Count == 0 || reason.Spans is null) return reason;
        var allowed = allow.Select(a => Fold(a).Folded).ToHashSet(StringComparer.Ordinal);
        var spans = reason.Spans.Where(s => !allowed.Contains(Fold(s.Text).Folded) && !allowed.Contains(Fold(s.Term).Folded)).ToList();
        return spans.Count == reason.Spans.Count ? reason : spans.Count == 0 ? null : reason with { Spans = spans };
    }

    static void AddMatches(List<Reason> into, string code, double score, (string Folded, int[] Map) folded, string original, IReadOnlyList<string> terms)
    {
        var spans = new List<Span>();
        foreach (var term in terms)
        {
            var needle = Fold(term).Folded;
            if (needle.Length == 0) continue;
            for (var at = folded.Folded.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = folded.Folded.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                var end = at + needle.Length;
                if (at > 0 && char.IsLetterOrDigit(folded.Folded[at - 1]) || end < folded.Folded.Length && char.IsLetterOrDigit(folded.Folded[end])) continue;
                var (start, stop) = (folded.Map[at], folded.Map[end - 1] + 1);
                spans.Add(new Span(start, stop, original[start..stop], term, code == ReasonCodes.BannedTerm ? "banned" : "suspect"));
            }
        }
        if (spans.Count > 0) into.Add(new Reason(code, score, spans.OrderBy(s => s.Start).ToList()));
    }

    /// <summary>Lower case without accents, with a map from each folded char back to its original index.</summary>
    static (string Folded, int[] Map) Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        var map = new List<int>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var decomposed = s[i].ToString().Normalize(NormalizationForm.FormD);
            foreach (var c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                sb.Append(char.ToLowerInvariant(c));
                map.Add(i);
            }
        }
        return (sb.ToString(), map.ToArray());
    }
}
