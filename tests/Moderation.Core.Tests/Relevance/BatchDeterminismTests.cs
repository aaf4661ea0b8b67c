using Moderation.Core.Profanity;
using Moderation.Core.Relevance;
using Moderation.Core.Scoring;

namespace Moderation.Core.Tests.Relevance;

public sealed class BatchDeterminismTests
{
    sealed class NoCollection : IDocumentFrequencies
    {
        public long DocumentCount => 0;
        public long DocumentFrequency(string term) => 0;
    }

    [Fact]
    public void A_comments_scores_do_not_depend_on_the_batch_it_is_scored_in()
    {
        var embedder = SharedEmbedder.Value;
        var scorer = new CommentScorer(ProfanityScorer.CreateDefault(), RelevanceScorer.CreateDefault(embedder), embedder);
        var article = new ArticleToScore("a", Samples.Title, Samples.Body, scorer.BuildArticleProfile(Samples.Title, Samples.Body));
        CommentToScore Item(string text) => new(text, article, ThreadToScore.Empty);
        var probe = Samples.OnTopic[0];

        var alone = scorer.ScoreBatch([Item(probe)], new NoCollection())[0].Result!;
        var withOthers = scorer.ScoreBatch([Item(Samples.OffTopicRant(12)), Item(probe), Item(Samples.OffTopic[0])], new NoCollection())[1].Result!;
        var single = scorer.Score(probe, article, ThreadToScore.Empty, new NoCollection());

        Assert.Equal(alone.Scores, withOthers.Scores);
        Assert.Equal(single.Scores, alone.Scores);
        Assert.Equal(alone.Embedding, withOthers.Embedding);
    }
}
