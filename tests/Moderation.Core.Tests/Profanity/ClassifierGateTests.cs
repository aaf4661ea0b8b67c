using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

/// <summary>The classifier never flags on its own weak evidence: only with an evasion signal (docs/PROFANITY.md, Score).</summary>
public class ClassifierGateTests
{
    /// <summary>A classifier that says "profane" (p ~ 1) for every text: no weights, a large bias.</summary>
    private static ProfanityScorer AlwaysProfaneClassifier() =>
        new(MatcherTests.Matcher, ProfanityClassifier.FromModel(new ProfanityModelFile(ProfanityFeatures.DefaultWordBits, true, 10f, -1f, 0f, [], [])));

    [Theory]
    [InlineData("He told his brother that the letter had reached him on Tuesday morning.")]
    [InlineData("The council said the new bridge would open to traffic next spring.")]
    [InlineData("Dear editor, I write to thank the volunteers who cleaned the beach.")]
    [InlineData("a substance that oxidizes another substance")]
    public void Plain_text_without_a_lexicon_hit_is_never_flagged_by_the_classifier(string text)
    {
        var result = AlwaysProfaneClassifier().Score(text);
        Assert.False(result.IsProfane);
        Assert.Equal(0, result.Score);
    }

    [Theory]
    [InlineData("what a fr1gging shambles this whole council is")]
    [InlineData("you are such a fr#gging clown, honestly, every single day")]
    [InlineData("the referee was a total ｆｒｅａｋ tonight, every single decision")]
    public void An_evasion_signal_lets_a_confident_classifier_flag(string text) => Assert.True(AlwaysProfaneClassifier().Score(text).IsProfane, text);

    [Theory]
    [InlineData("f*ck", true)]
    [InlineData("sh1t", true)]
    [InlineData("@ss", true)]
    [InlineData("f u c k", true)]
    [InlineData("ѕhit", true)]
    [InlineData("s\u200Bhit", true)]
    [InlineData("s&#104;it", true)]
    [InlineData("He said his piece, well... then he left.", false)]
    [InlineData("Costs $5 at 3pm, e-mail me; it's the U.K. version", false)]
    [InlineData("Café in Łódź, naïve — but fine!", false)]
    [InlineData("Great game!!! What a finish?!", false)]
    public void Evasion_signals_are_disguises_not_punctuation(string text, bool expected) => Assert.Equal(expected, EvasionSignals.Present(text));
}
