namespace Moderation.Core.Relevance;

/// <summary>
/// Finds the sentences of a long comment that are least related to the article — the part of a
/// rant a moderator should read. Only computed for flagged long comments (it embeds each sentence).
/// </summary>
internal static class OffTopicSentences
{
    // Below these a sentence is "unrelated": MiniLM cosines of unrelated English text sit around 0–0.15;
    // lexically, fewer than a fifth of its content words appear in the article.
    private const double SemanticCutoff = 0.20;
    private const double LexicalCutoff = 0.20;

    public static IReadOnlyList<string> Find(ArticleProfile article, string comment, SentenceEmbedder? embedder, RelevanceOptions o)
    {
        var sentences = TextAnalysis.Sentences(comment).Take(Math.Max(0, o.MaxEvidenceSentences)).ToArray();
        if (sentences.Length == 0) return [];
        double[] scores;
        double cutoff;
        if (embedder is not null && article.ChunkEmbeddings.Count > 0)
        {
            var vectors = embedder.EmbedBatch(sentences);
            scores = vectors.Select(v => article.ChunkEmbeddings.Max(c => VectorMath.Cosine(v, c))).ToArray();
            cutoff = SemanticCutoff;
        }
        else
        {
            scores = sentences.Select(s =>
            {
                var terms = TextAnalysis.Terms(s).Distinct().ToArray();
                return terms.Length == 0 ? 1.0 : terms.Count(article.TermCounts.ContainsKey) / (double)terms.Length;
            }).ToArray();
            cutoff = LexicalCutoff;
        }
        return Enumerable.Range(0, sentences.Length)
            .Where(i => scores[i] < cutoff && TextAnalysis.WordCount(sentences[i]) >= 4)
            .OrderBy(i => scores[i]).ThenBy(i => i)
            .Take(Math.Max(0, o.MaxOffTopicSentences))
            .Select(i => sentences[i])
            .ToArray();
    }
}
