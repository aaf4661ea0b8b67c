namespace Moderation.Core.Relevance;

/// <summary>Thresholds of the relevance and off-topic-length scores. Defaults are documented in docs/RELEVANCE.md.</summary>
public sealed class RelevanceOptions
{
    /// <summary>Relevance below this is off topic (reason <c>off_topic</c> or <c>off_topic_length</c>). Default 0.5.</summary>
    public double OffTopicThreshold { get; set; } = 0.5;

    /// <summary>offTopicLength at or above this (and at least <see cref="LongCommentMinWords"/> words) gives
    /// <c>off_topic_length</c> instead of <c>off_topic</c>. Default 0.5.</summary>
    public double OffTopicLengthThreshold { get; set; } = 0.5;

    /// <summary>A comment shorter than this is never "long". Default 80 words.</summary>
    public int LongCommentMinWords { get; set; } = 80;

    /// <summary>Comment length, as a multiple of the thread's median length, at which the thread part of the
    /// length factor reaches 1. Default 4×.</summary>
    public double ThreadMultipleForFullLength { get; set; } = 4.0;

    /// <summary>Comment length, as a share of the article's length, at which the article part of the length
    /// factor reaches 1 ("longer than the article"). Default 1.0.</summary>
    public double ArticleShareForFullLength { get; set; } = 1.0;

    /// <summary>Thread median used when the thread has fewer than 3 other comments. Default 40 words.</summary>
    public int DefaultThreadMedianWords { get; set; } = 40;

    /// <summary>Short generic replies ("Great article, thanks!", "Exactly.") of at most this many words are
    /// treated as neutral: relevance is raised to <see cref="GenericReplyRelevance"/>. Default 8.</summary>
    public int GenericReplyMaxWords { get; set; } = 8;

    /// <summary>Relevance floor for generic short replies (low value is not off topic). Default 0.6.</summary>
    public double GenericReplyRelevance { get; set; } = 0.6;

    /// <summary>Sibling comment embeddings used for the thread-similarity features. Default 50.</summary>
    public int MaxSiblings { get; set; } = 50;

    /// <summary>Shared terms shown as evidence. Default 8.</summary>
    public int MaxSharedTerms { get; set; } = 8;

    /// <summary>Off-topic sentences shown for a long comment. Default 3.</summary>
    public int MaxOffTopicSentences { get; set; } = 3;

    /// <summary>Comment sentences considered for off-topic evidence (bounds the cost on huge comments). Default 60.</summary>
    public int MaxEvidenceSentences { get; set; } = 60;

    /// <summary>Embedding gate for batch scoring (<see cref="RelevanceScorer.IsDecisive"/>): a comment whose
    /// lexical-model relevance is at most <see cref="OffTopicThreshold"/> − this margin or at least
    /// <see cref="OffTopicThreshold"/> + this margin keeps the lexical score and is not embedded. 1 or more =
    /// every comment is embedded (no gate). Default 1 (off) in the library; the service sets its own
    /// (<c>Moderation:Relevance:EmbeddingGate</c>, docs/PERFORMANCE.md).</summary>
    public double EmbeddingGateMargin { get; set; } = 1.0;

    /// <summary>The gate the service runs with unless <c>Moderation:Relevance:EmbeddingGate</c> says otherwise; training
    /// chooses thresholds and evaluation reports figures through it, so they describe what the service does.</summary>
    public const double ServiceEmbeddingGate = 0.4;
}
