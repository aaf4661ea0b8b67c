using Moderation.Core.Relevance;

namespace Moderation.Core.Tests.Relevance;

public class ArticleProfileCodecTests
{
    private static void AssertSame(ArticleProfile a, ArticleProfile b)
    {
        Assert.Equal(a.Title, b.Title);
        Assert.Equal(a.WordCount, b.WordCount);
        Assert.Equal(a.TermCounts.ToArray(), b.TermCounts.ToArray());
        Assert.Equal(a.TitleTerms, b.TitleTerms);
        Assert.Equal(a.Sentences, b.Sentences);
        Assert.Equal(a.Embedding, b.Embedding);
        Assert.Equal(a.TitleEmbedding, b.TitleEmbedding);
        Assert.Equal(a.ChunkEmbeddings, b.ChunkEmbeddings);
        Assert.Equal(a.SentenceEmbeddings, b.SentenceEmbeddings);
    }

    [Fact]
    public void Lexical_profile_round_trips()
    {
        var p = new ArticleProfiler(null).Build(Samples.Title, Samples.Body);
        Assert.False(p.HasEmbeddings);
        AssertSame(p, ArticleProfileCodec.Decode(ArticleProfileCodec.Encode(p)));
    }

    [Fact]
    public void Semantic_profile_round_trips_exactly_and_scores_the_same()
    {
        var p = new ArticleProfiler(SharedEmbedder.Value).Build(Samples.Title, Samples.Body);
        Assert.True(p.HasEmbeddings);
        Assert.Equal(p.Sentences.Count, p.SentenceEmbeddings.Count);
        var bytes = ArticleProfileCodec.Encode(p);
        var q = ArticleProfileCodec.Decode(bytes);
        AssertSame(p, q);
        Assert.Equal(bytes, ArticleProfileCodec.Encode(q));
        Assert.True(bytes.Length < 64 * 1024, $"{bytes.Length} bytes");

        var scorer = RelevanceScorer.CreateDefault(SharedEmbedder.Value);
        var df = new InMemoryDocumentFrequencies();
        df.Add(p);
        Assert.Equal(scorer.Score(p, Samples.OnTopic[0], null, df).Relevance, scorer.Score(q, Samples.OnTopic[0], null, df).Relevance);
    }

    [Fact]
    public void Odd_text_round_trips()
    {
        var p = new ArticleProfiler(null).Build("Tïtle \uD800 🤬", "Body with émojis 🤬 and \u0000 control. Second.");
        AssertSame(p, ArticleProfileCodec.Decode(ArticleProfileCodec.Encode(p)));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    public void Garbage_is_a_format_error(byte[] bytes)
    {
        Assert.Throws<FormatException>(() => ArticleProfileCodec.Decode(bytes));
    }

    [Fact]
    public void Truncated_profile_is_a_format_error()
    {
        var bytes = ArticleProfileCodec.Encode(new ArticleProfiler(null).Build(Samples.Title, Samples.Body));
        Assert.Throws<FormatException>(() => ArticleProfileCodec.Decode(bytes[..(bytes.Length / 2)]));
    }
}
