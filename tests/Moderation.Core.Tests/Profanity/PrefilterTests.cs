using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

/// <summary>
/// The matcher's fast paths (plain-letter scanner loop, three-letter table, inline pre-walk) must never skip a
/// start the trie walk would accept: every lexicon term, written plainly as a word of an ordinary sentence,
/// in capitals, and long compounds inside a longer word, is still found (terms that an allow-list word covers,
/// like crappier under "crappie", are innocent by design and skipped).
/// </summary>
public class PrefilterTests
{
    private static bool AllowCovered(string term) =>
        MatcherTests.Matcher.Lexicon.AllowList.Any(a => term.StartsWith(a, StringComparison.Ordinal));

    [Fact]
    public void Every_term_is_found_as_a_plain_word()
    {
        var missed = new List<string>();
        foreach (var t in MatcherTests.Matcher.Lexicon.Entries)
        {
            if (AllowCovered(t.Term)) continue;
            foreach (var text in new[] { $"well {t.Term} here", $"{t.Term}", $"ok, {t.Term.ToUpperInvariant()}! really." })
                if (!MatcherTests.Matcher.ContainsProfanity(text)) missed.Add(text);
        }
        Assert.True(missed.Count == 0, string.Join(" | ", missed));
    }

    [Fact]
    public void Compound_terms_are_found_inside_longer_words()
    {
        var missed = new List<string>();
        foreach (var t in MatcherTests.Matcher.Lexicon.Entries)
        {
            if (t.Kind != TermMatchKind.Compound || t.Term.Contains(' ') || AllowCovered(t.Term)) continue;
            var text = $"what a total{t.Term} that was";
            if (!MatcherTests.Matcher.ContainsProfanity(text)) missed.Add(text);
        }
        Assert.True(missed.Count == 0, string.Join(" | ", missed));
    }
}
