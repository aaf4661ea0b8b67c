namespace Moderation.Core.Relevance;

/// <summary>
/// The feature vector fed to the relevance model. The lexical-only model uses the first
/// <see cref="LexicalCount"/> features; the semantic model uses all <see cref="SemanticCount"/>: the named
/// scalar features, then the comment's own embedding (<see cref="EmbeddingBlock"/>). Training and scoring both go through <see cref="Compute"/>,
/// so they cannot drift apart.
/// </summary>
/// <remarks>
/// Length is deliberately NOT a feature (issue 14): a model that sees the word count learns "long means
/// off-topic" from any training set where that happens to hold, and real long comments are mostly on topic.
/// Length belongs to <see cref="OffTopicLengthRule"/>, which combines it with relevance.
/// </remarks>
public static class RelevanceFeatures
{
    public static readonly string[] Names =
    [
        // lexical (0..8)
        "tfidf_cosine", "content_share", "idf_weighted_share", "title_overlap", "best_sentence_overlap",
        "unrelated_sentence_share", "generic_reply", "has_parent", "parent_relevance",
        // semantic scalars (9..16)
        "sem_article", "sem_max_chunk", "sem_max_sentence", "sem_top3_sentence", "sem_title",
        "sibling_mean_cos", "sibling_max_cos", "has_siblings",
    ];

    public const int LexicalCount = 9;
    public const int ScalarCount = 17;
    public const int Dimensions = SentenceEmbedder.Dimension;

    /// <summary>The comment's own vector: what kind of text it is (an answer, a thank-you, a question back, chit-chat)
    /// whatever the article. On the forum calibration split it added 0.02 AUC over the scalars (0.777 → 0.799) and
    /// 0.04 on our own articles; c ⊙ a (agreement per dimension) did worse (0.759) and was dropped
    /// (`train relevance --explore`, docs/RELEVANCE.md).</summary>
    public const int EmbeddingBlock = Dimensions;
    public const int SemanticCount = ScalarCount + EmbeddingBlock;

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
        f[5] = (float)UnrelatedSentenceShare(article, comment);
        f[6] = generic ? 1 : 0;
        f[7] = thread.ParentRelevance.HasValue ? 1 : 0;
        f[8] = (float)Math.Clamp(thread.ParentRelevance ?? 0.5, 0, 1);

        int bestSentence = -1;
        double bestScore = double.NaN;
        if (semantic)
        {
            var c = commentEmbedding!;
            var a = article.Embedding!;
            f[9] = (float)VectorMath.Cosine(c, a);
            f[10] = (float)article.ChunkEmbeddings.Select(v => VectorMath.Cosine(c, v)).DefaultIfEmpty(f[9]).Max();
            var sims = article.SentenceEmbeddings.Select(v => VectorMath.Cosine(c, v)).ToArray();
            if (sims.Length > 0)
            {
                bestSentence = Array.IndexOf(sims, sims.Max());
                bestScore = sims[bestSentence];
                f[11] = (float)bestScore;
                f[12] = (float)sims.OrderDescending().Take(3).Average();
            }
            else { f[11] = f[10]; f[12] = f[10]; }
            f[13] = article.TitleEmbedding is null ? f[9] : (float)VectorMath.Cosine(c, article.TitleEmbedding);
            var siblings = (thread.SiblingEmbeddings ?? []).Where(v => v is { Length: > 0 })
                .Take(Math.Max(0, options.MaxSiblings)).Select(v => VectorMath.Cosine(c, v)).ToArray();
            f[14] = siblings.Length == 0 ? 0 : (float)siblings.Average();
            f[15] = siblings.Length == 0 ? 0 : (float)siblings.Max();
            f[16] = siblings.Length == 0 ? 0 : 1;
            int n = Math.Min(Dimensions, c.Length);
            for (int i = 0; i < n; i++) f[ScalarCount + i] = c[i];
        }
        for (int i = 0; i < f.Length; i++) if (!float.IsFinite(f[i])) f[i] = 0;
        return new Computed(f, lex, words, generic, bestSentence, bestScore);
    }

    /// <summary>
    /// Share of the comment's sentences (of at least 4 words) that use none of the article's terms: the
    /// "hook, then drift" rant opens with the article's words and spends the rest elsewhere. 0 when the
    /// comment has no such sentence.
    /// </summary>
    public static double UnrelatedSentenceShare(ArticleProfile article, string? comment)
    {
        int counted = 0, unrelated = 0;
        foreach (var s in TextAnalysis.Sentences(TextAnalysis.Sanitize(comment)))
        {
            if (TextAnalysis.WordCount(s) < 4) continue;
            counted++;
            if (!TextAnalysis.Terms(s).Any(article.TermCounts.ContainsKey)) unrelated++;
        }
        return counted == 0 ? 0 : (double)unrelated / counted;
    }
}
