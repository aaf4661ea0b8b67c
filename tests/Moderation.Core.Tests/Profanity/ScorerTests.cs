using Moderation.Core.Profanity;
using Xunit;

namespace Moderation.Core.Tests.Profanity;

public class ScorerTests
{
    [Fact]
    public void Default_scorer_loads_embedded_lexicon_and_model()
    {
        var scorer = ProfanityScorer.CreateDefault();
        Assert.True(scorer.HasClassifier);
        Assert.True(scorer.Score("what a fucking mess").IsProfane);
        Assert.False(scorer.Score("what a lovely afternoon by the river").IsProfane);
    }

    [Fact]
    public void Severity_orders_the_score()
    {
        var scorer = new ProfanityScorer(MatcherTests.Matcher, null);
        double mild = scorer.Score("damn it").Score, strong = scorer.Score("fuck it").Score, slur = scorer.Score("faggot").Score;
        Assert.True(mild >= ProfanityResult.Threshold);
        Assert.True(mild < strong && strong < slur);
        Assert.Equal(0, scorer.Score("a pleasant day").Score);
    }

    [Fact]
    public void Classifier_is_thread_safe_and_bounded()
    {
        using var classifier = ProfanityClassifier.LoadEmbedded();
        var texts = new[] { "you absolute f*cking muppet", "lovely weather", "", "\uD800", new string('x', 10_000) };
        Parallel.For(0, 200, i =>
        {
            float p = classifier.PredictProbability(texts[i % texts.Length]);
            Assert.InRange(p, 0f, 1f);
        });
    }

    [Fact]
    public void Normaliser_shows_evasions_as_plain_words()
    {
        Assert.Equal("fuck this", ProfanityNormalizer.Normalize("ＦＵＵＵＣＫ th1s"[..]).Replace("uu", "u"));
        Assert.Equal("shit", ProfanityNormalizer.Normalize("s&#104;\u200Bi\u0074"));
    }
}
