namespace Moderation.Core.Relevance;

/// <summary>
/// Builds an <see cref="ArticleProfile"/>. With an embedder it embeds the body per chunk, the
/// title and each sentence (batched); without one (null) the profile is lexical only.
/// </summary>
public sealed class ArticleProfiler(SentenceEmbedder? embedder)
{
    /// <summary>Sentences kept for evidence; bounds the stored size of very long articles.</summary>
    public const int MaxSentences = 400;
    /// <summary>Characters kept per sentence.</summary>
    public const int MaxSentenceChars = 600;

    public ArticleProfile Build(string? title, string? body)
    {
        title = TextAnalysis.Sanitize(title).Trim();
        body = TextAnalysis.Sanitize(body);
        var counts = TextAnalysis.TermCounts(title + "\n\n" + body);
        var sorted = new Dictionary<string, int>(counts.Count, StringComparer.Ordinal);
        foreach (var key in counts.Keys.OrderBy(k => k, StringComparer.Ordinal)) sorted[key] = counts[key];
        var titleTerms = TextAnalysis.Terms(title).Distinct().ToArray();
        var sentences = TextAnalysis.Sentences(body)
            .Take(MaxSentences)
            .Select(s => s.Length > MaxSentenceChars ? s[..MaxSentenceChars] : s)
            .ToArray();

        if (embedder is null)
            return new ArticleProfile(title, TextAnalysis.WordCount(body), sorted, titleTerms, sentences, null, null, [], []);

        // Three independent runs, side by side on the cores (each result is the same as run alone).
        float[][] chunks = [], sentenceVecs = [];
        float[] titleVec = [];
        Parallel.Invoke(
            () => chunks = embedder.EmbedChunks(body).Select(VectorMath.ToHalfPrecision).ToArray(),
            () => titleVec = VectorMath.ToHalfPrecision(embedder.Embed(title)),
            () => sentenceVecs = sentences.Length == 0 ? [] : embedder.EmbedBatch(sentences).Select(VectorMath.ToHalfPrecision).ToArray());
        var mean = VectorMath.ToHalfPrecision(VectorMath.MeanNormalized(chunks)!);
        return new ArticleProfile(title, TextAnalysis.WordCount(body), sorted, titleTerms, sentences,
            mean, titleVec, chunks, sentenceVecs);
    }
}
