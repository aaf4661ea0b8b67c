namespace Moderation.Core.Relevance;

/// <summary>
/// The feature vector fed to the relevance model. The lexical-only model uses the first
/// <see cref="LexicalCount"/> features; the semantic model uses all <see cref="SemanticCount"/>.
/// Training and scoring both go through <see cref="Compute"/>, so they cannot drift apart.
/// </summary>
public static class RelevanceFeatures
{
    public static readonly string[] Names =
    [
        // lexical (0..9)
        "tfidf_cosine", "content_share", "idf_weighted_share", "title_overlap", "best_sentence_overlap",
        "log_word_count", "content_term_ratio", "generic_reply", "has_parent", "parent_relevance",
        // semantic (10..17)
        "sem_article", "sem_max_chunk", "sem_max_sentence", "sem_top3_sentence", "sem_title",
        "sibling_mean_cos", "sibling_max_cos", "has_siblings",
    ];

    public const int LexicalCount = 10;
    public const int SemanticCount = 18;

    /// <summary>Result of one feature computation, with the by-products used for evidence.</summary>
    public sealed record Computed(float[] Features, LexicalStats Lexical, int WordCount, bool Generic,
        int BestSemanticSentence, double BestSemanticScore);

    public static Computed Compute(ArticleProfile article, string? comment, ThreadContext thread,
        IDocumentFrequencies df, float[]? commentEmbedding, RelevanceOptions options)
    {
        bool semantic = commentEmbedding is not null && article.HasEmbeddings;
        var f = new float[semantic ? SemanticCount : LexicalCount];
        var lex = LexicalFeatures.Compute(article, comment, df, options.MaxSharedTerms);
        int words = TextAnalysis.WordCount(comment);
        bool generic = GenericReplies.IsGeneric(comment, options.GenericReplyMaxWords);

        f[0] = (float)lex.TfIdfCosine;
        f[1] = (float)lex.ContentShare;
        f[2] = (float)lex.IdfWeightedShare;
        f[3] = (float)lex.TitleOverlap;
        f[4] = (float)lex.BestSentenceOverlap;
        f[5] = (float)Math.Log(1 + words);
        f[6] = words == 0 ? 0 : (float)Math.Min(1.0, (double)lex.ContentTermCount / words);
        f[7] = generic ? 1 : 0;
        f[8] = thread.ParentRelevance.HasValue ? 1 : 0;
        f[9] = (float)Math.Clamp(thread.ParentRelevance ?? 0.5, 0, 1);

        int bestSentence = -1;
        double bestScore = double.NaN;
        if (semantic)
        {
            var c = commentEmbedding!;
            f[10] = (float)VectorMath.Cosine(c, article.Embedding!);
            f[11] = (float)article.ChunkEmbeddings.Select(v => VectorMath.Cosine(c, v)).DefaultIfEmpty(f[10]).Max();
            var sims = article.SentenceEmbeddings.Select(v => VectorMath.Cosine(c, v)).ToArray();
            if (sims.Length > 0)
            {
                bestSentence = Array.IndexOf(sims, sims.Max());
                bestScore = sims[bestSentence];
                f[12] = (float)bestScore;
                f[13] = (float)sims.OrderDescending().Take(3).Average();
            }
            else { f[12] = f[11]; f[13] = f[11]; }
            f[14] = article.TitleEmbedding is null ? f[10] : (float)VectorMath.Cosine(c, article.TitleEmbedding);
            var siblings = (thread.SiblingEmbeddings ?? []).Where(v => v is { Length: > 0 })
                .Take(Math.Max(0, options.MaxSiblings)).Select(v => VectorMath.Cosine(c, v)).ToArray();
            f[15] = siblings.Length == 0 ? 0 : (float)siblings.Average();
            f[16] = siblings.Length == 0 ? 0 : (float)siblings.Max();
            f[17] = siblings.Length == 0 ? 0 : 1;
        }
        for (int i = 0; i < f.Length; i++) if (!float.IsFinite(f[i])) f[i] = 0;
        return new Computed(f, lex, words, generic, bestSentence, bestScore);
    }
}
