using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

public class RelevanceScorerTests
{
    private static readonly Lazy<ArticleProfile> SemanticProfile = new(() => new ArticleProfiler(SharedEmbedder.Value).Build(Samples.Title, Samples.Body));
    private static readonly Lazy<ArticleProfile> LexicalProfile = new(() => new ArticleProfiler(null).Build(Samples.Title, Samples.Body));

    private static InMemoryDocumentFrequencies Df()
    {
        var df = new InMemoryDocumentFrequencies();
        df.Add(LexicalProfile.Value);
        df.Add(new ArticleProfiler(null).Build("Storm knocks out power", "A winter storm knocked out power to thousands of homes on Tuesday night."));
        df.Add(new ArticleProfiler(null).Build("Team wins cup final", "The team won the cup final on penalties after a goalless draw."));
        return df;
    }

    public static TheoryData<bool> Modes => new() { true, false };

    private static (RelevanceScorer Scorer, ArticleProfile Profile) Setup(bool semantic) => semantic
        ? (RelevanceScorer.CreateDefault(SharedEmbedder.Value), SemanticProfile.Value)
        : (RelevanceScorer.CreateDefault(null), LexicalProfile.Value);

    [Theory]
    [MemberData(nameof(Modes))]
    public void On_topic_comments_outrank_off_topic_ones(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var df = Df();
        var on = Samples.OnTopic.Select(t => scorer.Score(profile, t, ThreadContext.Empty, df).Relevance).ToArray();
        var off = Samples.OffTopic.Select(t => scorer.Score(profile, t, ThreadContext.Empty, df).Relevance).ToArray();
        Assert.True(on.Min() > off.Max(), $"on: {string.Join(", ", on)}; off: {string.Join(", ", off)}");
        Assert.All(on.Concat(off), r => Assert.InRange(r, 0, 1));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Scores_are_deterministic(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var df = Df();
        var text = Samples.OnTopic[1] + " " + Samples.OffTopicRant(3);
        var a = scorer.Score(profile, text, ThreadContext.Empty, df);
        var b = scorer.Score(profile, text, ThreadContext.Empty, df);
        Assert.Equal(a.Relevance, b.Relevance);
        Assert.Equal(a.OffTopicLength, b.OffTopicLength);
        Assert.Equal(a.ReasonCode, b.ReasonCode);
        Assert.Equal(a.Evidence.SharedTerms, b.Evidence.SharedTerms);
        Assert.Equal(a.Evidence.MostSimilarSentence, b.Evidence.MostSimilarSentence);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Short_praise_is_not_off_topic(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        foreach (var text in new[] { "Great article, thanks!", "Exactly.", "Well said.", "Thanks for this piece." })
        {
            var r = scorer.Score(profile, text, ThreadContext.Empty, Df());
            Assert.Null(r.ReasonCode);
            Assert.True(r.Relevance >= scorer.Options.OffTopicThreshold, $"{text}: {r.Relevance}");
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Long_off_topic_rant_gets_off_topic_length_and_short_one_off_topic(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var thread = new ThreadContext(null, [], [25, 30, 40, 18, 35]);
        var rant = scorer.Score(profile, Samples.OffTopicRant(30), thread, Df());
        Assert.True(rant.Evidence.WordCount > profile.WordCount);
        Assert.Equal(RelevanceReasons.OffTopicLength, rant.ReasonCode);
        Assert.True(rant.OffTopicLength >= scorer.Options.OffTopicLengthThreshold);
        Assert.NotEmpty(rant.Evidence.OffTopicSentences);
        Assert.Equal(30, rant.Evidence.ThreadMedianWordCount);

        var quip = scorer.Score(profile, Samples.OffTopic[0], thread, Df());
        Assert.Equal(RelevanceReasons.OffTopic, quip.ReasonCode);
        Assert.True(quip.OffTopicLength < rant.OffTopicLength);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Long_on_topic_comment_is_not_flagged(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var text = string.Join(" ", Samples.OnTopic) + " " + string.Join(" ", Samples.OnTopic.Reverse());
        var r = scorer.Score(profile, text, ThreadContext.Empty, Df());
        Assert.Null(r.ReasonCode);
        Assert.True(r.OffTopicLength < 0.3);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Evidence_names_shared_terms_and_the_closest_sentence(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var r = scorer.Score(profile, Samples.OnTopic[2], ThreadContext.Empty, Df());
        Assert.Contains("parking", r.Evidence.SharedTerms);
        Assert.Contains("parking", r.Evidence.MostSimilarSentence!);
        Assert.Equal(profile.WordCount, r.Evidence.ArticleWordCount);
        Assert.Equal(semantic, r.CommentEmbedding is not null);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Never_throws_on_odd_strings(bool semantic)
    {
        var (scorer, profile) = Setup(semantic);
        var df = Df();
        string[] texts = ["", " ", "\u0000\u0001", "\uD800\uDC00\uD800", "🤬🤬🤬", "東京 مرحبا z͑͗a̐l̀g̊o", new string('a', 100_000),
            string.Concat(Enumerable.Repeat("word ", semantic ? 2_000 : 12_000))];   // several chunks without a full stop
        foreach (var t in texts)
        {
            var r = scorer.Score(profile, t, ThreadContext.Empty, df);
            Assert.InRange(r.Relevance, 0, 1);
            Assert.InRange(r.OffTopicLength, 0, 1);
        }
        Assert.InRange(scorer.Score(profile, null, null, new InMemoryDocumentFrequencies()).Relevance, 0, 1);
    }

    [Fact]
    public void Trained_models_are_embedded()
    {
        Assert.True(RelevanceScorer.CreateDefault(null).UsesTrainedModels);
        // The semantic model is the regression blended with trees over the scalar features (docs/RELEVANCE.md).
        var semantic = RelevanceModel.LoadEmbedded(RelevanceModel.SemanticResource, RelevanceFeatures.SemanticCount,
            RelevanceModel.SemanticTreesResource, RelevanceFeatures.ScalarCount);
        Assert.Equal(RelevanceFeatures.ScalarCount, semantic?.Trees?.FeatureCount);
    }

    [Fact]
    public void Thread_context_is_used()
    {
        var scorer = RelevanceScorer.CreateDefault(SharedEmbedder.Value);
        var profile = SemanticProfile.Value;
        var siblings = Samples.OnTopic.Select(SharedEmbedder.Value.Embed).ToArray();
        var reply = "You're right, that is what I was saying too.";
        var alone = scorer.Score(profile, reply, ThreadContext.Empty, Df()).Relevance;
        var inThread = scorer.Score(profile, reply, new ThreadContext(0.95, siblings, [20, 18, 19, 15]), Df()).Relevance;
        Assert.True(inThread > alone, $"{inThread} vs {alone}");
    }

    [Fact]
    public void Profile_without_embeddings_falls_back_to_lexical_model()
    {
        var scorer = RelevanceScorer.CreateDefault(SharedEmbedder.Value);
        var lexicalOnly = RelevanceScorer.CreateDefault(null);
        var a = scorer.Score(LexicalProfile.Value, Samples.OnTopic[0], ThreadContext.Empty, Df()).Relevance;
        var b = lexicalOnly.Score(LexicalProfile.Value, Samples.OnTopic[0], ThreadContext.Empty, Df()).Relevance;
        Assert.Equal(b, a);
    }
}
