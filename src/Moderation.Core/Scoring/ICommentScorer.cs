using Moderation.Core.Relevance;

namespace Moderation.Core.Scoring;

/// <summary>An article as the scorer sees it. <see cref="Profile"/> is what <see cref="ICommentScorer.BuildArticleProfile"/> made.</summary>
public sealed record ArticleToScore(string ArticleId, string Title, string Body, byte[] Profile);

/// <summary>What the thread around a comment says: the parent's relevance, and other comments under the article.</summary>
public sealed record ThreadToScore(double? ParentRelevance, IReadOnlyList<float[]> SiblingEmbeddings, IReadOnlyList<int> SiblingWordCounts)
{
    public static readonly ThreadToScore Empty = new(null, [], []);
}

/// <summary>Scores comments against their article. Implementations are thread-safe.</summary>
public interface ICommentScorer
{
    /// <summary>Changes whenever the profile format or the model behind it changes, so stored profiles are rebuilt.</summary>
    int ProfileVersion { get; }

    /// <summary>The expensive per-article work (embeddings, sentences), done once per article version and stored.</summary>
    byte[] BuildArticleProfile(string title, string body);

    /// <summary>The content terms of an article, for the collection's document frequencies.</summary>
    IReadOnlySet<string> ArticleTerms(string title, string body);

    ScoreResult Score(string text, ArticleToScore article, ThreadToScore thread, IDocumentFrequencies terms);

    /// <summary>
    /// Scores a batch: element i is the outcome of <paramref name="items"/>[i], a result or the exception its
    /// scoring threw (one bad comment does not fail the others). The default scores one at a time;
    /// <see cref="CommentScorer"/> spreads the cheap work over the cores and batches (and gates) the embeddings.
    /// </summary>
    IReadOnlyList<ScoreOutcome> ScoreBatch(IReadOnlyList<CommentToScore> items, IDocumentFrequencies terms)
    {
        var outcomes = new ScoreOutcome[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            try { outcomes[i] = new ScoreOutcome(Score(items[i].Text, items[i].Article, items[i].Thread, terms), null); }
            catch (Exception e) when (e is not OperationCanceledException) { outcomes[i] = new ScoreOutcome(null, e); }
        }
        return outcomes;
    }
}

/// <summary>One comment of a batch, with its article and thread.</summary>
public sealed record CommentToScore(string Text, ArticleToScore Article, ThreadToScore Thread);

/// <summary>The result of one comment of a batch, or the exception its scoring threw.</summary>
public readonly record struct ScoreOutcome(ScoreResult? Result, Exception? Error);
