using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

public class MatcherTests
{
    internal static readonly ProfanityMatcher Matcher = new(Lexicon.LoadEmbedded());

    private static void AssertSpansValid(string text, IReadOnlyList<ProfanityMatch> matches)
    {
        foreach (var m in matches)
        {
            Assert.InRange(m.Start, 0, text.Length);
            Assert.InRange(m.End, m.Start, text.Length);
            Assert.Equal(text[m.Start..m.End], m.Text);
        }
    }

    [Theory]
    [InlineData("well fuck me sideways", "fuck")]
    [InlineData("my boss is a total bastard", "bastard")]
    [InlineData("stop being such a wanker mate", "wanker")]
    [InlineData("what a clusterfuck of a meeting", "clusterfuck")]
    [InlineData("absolute bollocks from start to end", "bollocks")]
    [InlineData("he called her a slut", "slut")]
    public void Finds_plain_terms(string text, string term)
    {
        var m = Matcher.FindMatches(text);
        Assert.Contains(m, x => x.Term == term);
        AssertSpansValid(text, m);
    }

    [Theory]
    [InlineData("FUUUUUCK off")]            // elongation
    [InlineData("fuuck this")]
    [InlineData("s.h.i.t show")]             // spaced letters with punctuation
    [InlineData("b i t c h please")]         // spaced letters
    [InlineData("the b-i-t-c-h is back")]
    [InlineData("st*pid f*cker")]            // masks
    [InlineData("a f**king disgrace")]
    [InlineData("b!tch please")]             // letter-like punctuation
    [InlineData("you utter a$$hole")]        // symbol leet
    [InlineData("b1tch")]                    // digit leet
    [InlineData("c0cksucker")]
    [InlineData("ｂｉｔｃｈ")]                 // fullwidth
    [InlineData("𝐛𝐢𝐭𝐜𝐡")]                   // mathematical bold
    [InlineData("bіtсh")]                    // Cyrillic і and с
    [InlineData("b\u200Bi\u200Ct\u200Dc\u2060h")] // zero-width joiners
    [InlineData("bi\u00ADtch")]              // soft hyphen
    [InlineData("b&#105;tch")]               // numeric entity
    [InlineData("b&#x69;tch")]               // hex entity
    [InlineData("s&#104;it")]
    [InlineData("bi<i>t</i>ch")]             // markup inside a word
    [InlineData("b\u0456\u0442ch")]
    public void Catches_evasions(string text)
    {
        var m = Matcher.FindMatches(text);
        Assert.NotEmpty(m);
        Assert.True(Matcher.ContainsProfanity(text));
        AssertSpansValid(text, m);
    }

    [Theory]
    [InlineData("We need an assessment of the class before the bass solo.")]
    [InlineData("Scunthorpe United beat Penistone in a classic match.")]
    [InlineData("The pilot left the cockpit to fetch a cocktail; a peacock watched.")]
    [InlineData("Shiitake and grape risotto, recommended by my therapist.")]
    [InlineData("Essex, Sussex and Middlesex are English counties.")]
    [InlineData("I watched Dick Van Dyke and then read Moby-Dick and some Dickens.")]
    [InlineData("Arsenal fans pressed the button; a titmouse said hello.")]
    [InlineData("She graduated summa cum laude.")]
    [InlineData("Homo sapiens evolved in Africa.")]
    [InlineData("He sniggered at the spick and span kitchen.")]
    [InlineData("Our labrador bitch had a litter of puppies.")]
    [InlineData("The cock pheasant crowed at dawn on the farm.")]
    [InlineData("It was 1990s music, not the 70th anniversary.")]
    [InlineData("Call 555-1234 or email me at hello@example.com")]
    [InlineData("a b c d e f g")]
    [InlineData("Hitchcock and Hancock had a chat about documents.")]
    public void Ignores_innocent_words(string text)
    {
        Assert.Empty(Matcher.FindMatches(text));
        Assert.False(Matcher.ContainsProfanity(text));
    }

    [Theory]
    [InlineData("you son of a bitch", "son of a bitch")]
    [InlineData("just go to hell already", "go to hell")]
    [InlineData("kiss my ass", "kiss my ass")]
    [InlineData("she gave him a blow job", "blow job")]
    public void Matches_multi_word_phrases(string text, string term)
    {
        var m = Matcher.FindMatches(text);
        var hit = Assert.Single(m, x => x.Term == term);
        Assert.Equal(text[hit.Start..hit.End], hit.Text);
        Assert.Contains(' ', hit.Text);
    }

    [Theory]
    [InlineData("damn it", Severity.Mild)]
    [InlineData("what a cunt", Severity.Strong)]
    [InlineData("a racist called him a nigger", Severity.Slur)]
    [InlineData("that faggot", Severity.Slur)]
    [InlineData("don't be a retard", Severity.Slur)]
    public void Reports_severity_and_category(string text, Severity severity)
    {
        var m = Assert.Single(Matcher.FindMatches(text));
        Assert.Equal(severity, m.Severity);
        Assert.False(string.IsNullOrWhiteSpace(m.Category));
    }

    [Fact]
    public void Spans_point_into_the_original_text()
    {
        const string text = "Hey ｆｕｃｋ &#115;hit f\u200Buck 𝐛𝐢𝐭𝐜𝐡!";
        var m = Matcher.FindMatches(text);
        Assert.Equal(4, m.Count);
        Assert.Equal("ｆｕｃｋ", m[0].Text);
        Assert.Equal("&#115;hit", m[1].Text);
        Assert.Equal("f\u200Buck", m[2].Text);
        Assert.Equal("𝐛𝐢𝐭𝐜𝐡", m[3].Text);
        AssertSpansValid(text, m);
    }

    [Fact]
    public void Finds_hits_beyond_the_first_window_of_a_long_text()
    {
        var filler = string.Concat(Enumerable.Repeat("the quick brown fox jumps over a lazy dog ", 5000));
        var text = filler + "son of a bitch " + filler + "shit";
        var m = Matcher.FindMatches(text);
        Assert.Contains(m, x => x.Term == "son of a bitch");
        Assert.Contains(m, x => x.Term == "shit" && x.End == text.Length);
        Assert.True(Matcher.ContainsProfanity(text));
        Assert.False(Matcher.ContainsProfanity(filler + filler));
        AssertSpansValid(text, m);
    }

    [Fact]
    public void Extra_terms_and_allow_entries_can_be_added()
    {
        var lex = Lexicon.LoadEmbedded().With([new LexiconTerm("blorf", Severity.Strong, "custom")], ["bastard sauce"]);
        var m = new ProfanityMatcher(lex);
        Assert.True(m.ContainsProfanity("you blorf"));
        Assert.False(m.ContainsProfanity("bastard sauce recipe"));
        Assert.True(m.ContainsProfanity("you bastard"));
    }

    [Fact]
    public void Loads_a_lexicon_from_readers()
    {
        var lex = Lexicon.Load(new StringReader("zonk\tmild\ttest\tprefix\n# comment\nbad phrase\tstrong\ttest\tword\n"), new StringReader("zonkers\n"));
        var m = new ProfanityMatcher(lex);
        Assert.True(m.ContainsProfanity("zonking"));
        Assert.False(m.ContainsProfanity("zonkers"));
        Assert.Equal("bad phrase", Assert.Single(m.FindMatches("a BAD   phrase")).Term);
    }
}
