namespace Moderation.Core.Relevance;

/// <summary>
/// Everything the scorer needs to know about an article, computed once when the article is put
/// or changed (<see cref="ArticleProfiler.Build"/>) and stored (<see cref="ArticleProfileCodec"/>).
/// Embedding fields are null/empty for a lexical-only profile. Embeddings are L2-normalised and
/// already rounded to half precision, so encoding and decoding a profile is lossless.
/// </summary>
/// <param name="Title">Article title.</param>
/// <param name="WordCount">Words in the body (<see cref="TextAnalysis.Words"/>).</param>
/// <param name="TermCounts">Term frequencies of title + body, keys in ordinal order. Its keys are the
/// terms to count in the document-frequency store for this article.</param>
/// <param name="TitleTerms">Distinct terms of the title.</param>
/// <param name="Sentences">Body sentences (evidence), at most <see cref="ArticleProfiler.MaxSentences"/>.</param>
/// <param name="Embedding">Mean of the body's chunk vectors, normalised.</param>
/// <param name="TitleEmbedding">Embedding of the title.</param>
/// <param name="ChunkEmbeddings">One vector per body chunk (≤ 256 tokens each).</param>
/// <param name="SentenceEmbeddings">One vector per entry of <paramref name="Sentences"/>, or empty.</param>
public sealed record ArticleProfile(
    string Title,
    int WordCount,
    IReadOnlyDictionary<string, int> TermCounts,
    IReadOnlyList<string> TitleTerms,
    IReadOnlyList<string> Sentences,
    float[]? Embedding,
    float[]? TitleEmbedding,
    IReadOnlyList<float[]> ChunkEmbeddings,
    IReadOnlyList<float[]> SentenceEmbeddings)
{
    /// <summary>True when the profile was built with an embedder.</summary>
    public bool HasEmbeddings => Embedding is not null;

    /// <summary>Distinct terms of the article (for updating document frequencies).</summary>
    public IEnumerable<string> Terms => TermCounts.Keys;
}
