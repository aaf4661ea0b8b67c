using CsCheck;
using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

public class PropertyTests
{
    private static readonly ProfanityScorer Scorer = new(MatcherTests.Matcher, null);

    // Characters that stress the scanner: lone surrogates, invisibles, entities, tags, masks, leet, look-alikes.
    private const string Nasty = "\uD800\uDC00\uDBFF\uDFFF\u200B\u200D\u00AD\uFEFF\u0301&#;x<>/_-.*@$!|01345 \t\nabcfkhistuАаеорсΑοﬁ𝐟ａ";

    private static void Check(string s)
    {
        var m = MatcherTests.Matcher.FindMatches(s);
        foreach (var x in m)
        {
            Assert.True(x.Start >= 0 && x.Start <= x.End && x.End <= s.Length, $"span {x.Start}..{x.End} outside {s.Length}");
            Assert.Equal(s[x.Start..x.End], x.Text);
        }
        Assert.Equal(m.Count > 0, MatcherTests.Matcher.ContainsProfanity(s));
        var r = Scorer.Score(s);
        Assert.InRange(r.Score, 0.0, 1.0);
        _ = ProfanityNormalizer.Normalize(s);
    }

    [Fact]
    public void Random_strings_never_throw_and_spans_stay_inside()
        => Gen.String.Sample(Check, iter: 3000);

    [Fact]
    public void Adversarial_unicode_never_throws_and_spans_stay_inside()
        => Gen.String[Gen.Char[Nasty], 0, 200].Sample(Check, iter: 5000);

    [Fact]
    public void Random_code_units_including_lone_surrogates_never_throw()
        => Gen.Char.Array[0, 100].Select(a => new string(a)).Sample(Check, iter: 3000);

    [Fact]
    public void Profanity_wrapped_in_noise_is_still_found()
        => Gen.Select(Gen.String[Gen.Char["abc .,!?"], 0, 20], Gen.String[Gen.Char["xyz .,!?"], 0, 20])
              .Sample((pre, post) =>
              {
                  var text = pre + " fucking " + post;
                  Assert.True(MatcherTests.Matcher.ContainsProfanity(text), text);
              }, iter: 1000);

    [Theory]
    [InlineData("")]
    [InlineData("\uD800")]
    [InlineData("\uDC00abc\uD800")]
    [InlineData("&#1114112;&#xD800;&#0;&#;&amp;&")]
    [InlineData("<<<<>>>></></")]
    [InlineData("****************************************")]
    [InlineData("f***************************************k")]
    public void Edge_cases_never_throw(string s) => Check(s);

    [Fact]
    public void Huge_inputs_never_throw()
    {
        Check(new string('a', 300_000));
        Check(new string('*', 100_000));
        Check(string.Concat(Enumerable.Repeat("f u c k ", 20_000)));
        Check(string.Concat(Enumerable.Repeat("\uD83D\uDCA9", 50_000)));
    }
}
