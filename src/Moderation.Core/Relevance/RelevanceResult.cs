namespace Moderation.Core.Relevance;

/// <summary>Reason codes produced by the relevance engine (see DESIGN.md; never renamed).</summary>
public static class RelevanceReasons
{
    public const string OffTopic = "off_topic";
    public const string OffTopicLength = "off_topic_length";
}

/// <summary>What a moderator sees next to the relevance scores.</summary>
/// <param name="MostSimilarSentence">The article sentence most similar to the comment (semantic when embeddings are
/// available, else lexical), or null.</param>
/// <param name="MostSimilarSentenceScore">Its cosine similarity (semantic) or IDF-weighted overlap (lexical).</param>
/// <param name="SharedTerms">Key terms the comment shares with the article, most informative first.</param>
/// <param name="OffTopicSentences">For a long comment, its sentences least related to the article.</param>
/// <param name="WordCount">Words in the comment.</param>
/// <param name="ArticleWordCount">Words in the article body.</param>
/// <param name="ThreadMedianWordCount">Typical (median) comment length in the thread, or the default used.</param>
public sealed record RelevanceEvidence(
    string? MostSimilarSentence,
    double? MostSimilarSentenceScore,
    IReadOnlyList<string> SharedTerms,
    IReadOnlyList<string> OffTopicSentences,
    int WordCount,
    int ArticleWordCount,
    int ThreadMedianWordCount);

/// <summary>Scores of one comment.</summary>
/// <param name="Relevance">Calibrated probability that the comment is on topic, in [0, 1].</param>
/// <param name="OffTopicLength">How strongly this is a long off-topic comment, in [0, 1].</param>
/// <param name="ReasonCode"><see cref="RelevanceReasons.OffTopic"/>, <see cref="RelevanceReasons.OffTopicLength"/> or null.</param>
/// <param name="Evidence">Evidence for moderators.</param>
/// <param name="CommentEmbedding">The comment's embedding (store it to give later comments sibling features); null without an embedder.</param>
public sealed record RelevanceResult(
    double Relevance,
    double OffTopicLength,
    string? ReasonCode,
    RelevanceEvidence Evidence,
    float[]? CommentEmbedding);
