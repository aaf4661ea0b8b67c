namespace Moderation.Core.Relevance;

/// <summary>
/// Scores a comment against an article profile: relevance (calibrated probability from the ML.NET
/// model), offTopicLength, a reason code and evidence. With an embedder and a profile that has
/// embeddings it uses the semantic model; otherwise the lexical-only model (a separate, smaller
/// model trained on the lexical features). Thread-safe; never throws on any comment text.
/// </summary>
public sealed class RelevanceScorer
{
    private static readonly Lazy<(RelevanceModel? Semantic, RelevanceModel? Lexical)> Embedded = new(() => (
        RelevanceModel.LoadEmbedded(RelevanceModel.SemanticResource, RelevanceFeatures.SemanticCount,
                RelevanceModel.SemanticTreesResource, RelevanceFeatures.ScalarCount)
            ?.WithCalibration(RelevanceCalibration.Embedded.Semantic),
        RelevanceModel.LoadEmbedded(RelevanceModel.LexicalResource, RelevanceFeatures.LexicalCount)
            ?.WithCalibration(RelevanceCalibration.Embedded.Lexical)));

    private readonly SentenceEmbedder? _embedder;
    private readonly RelevanceModel? _semantic;
    private readonly RelevanceModel? _lexical;

    public RelevanceOptions Options { get; }

    /// <summary>True when comments are embedded (semantic features available for profiles with embeddings).</summary>
    public bool HasEmbedder => _embedder is not null;

    /// <summary>True when both trained models are present (false: the hand-set fallback is used for a missing one).</summary>
    public bool UsesTrainedModels => _semantic is not null && _lexical is not null;

    /// <summary>The embedder used for comments (and for building profiles that match this scorer), or null.</summary>
    public SentenceEmbedder? Embedder => _embedder;

    public RelevanceScorer(SentenceEmbedder? embedder, RelevanceModel? semanticModel, RelevanceModel? lexicalModel,
        RelevanceOptions? options = null)
    {
        _embedder = embedder;
        _semantic = semanticModel;
        _lexical = lexicalModel;
        Options = options ?? new RelevanceOptions();
    }

    /// <summary>Uses the models embedded in Moderation.Core. <paramref name="embedder"/> null = lexical-only mode.</summary>
    public static RelevanceScorer CreateDefault(SentenceEmbedder? embedder, RelevanceOptions? options = null) =>
        new(embedder, Embedded.Value.Semantic, Embedded.Value.Lexical, options);

    /// <summary>Scores one comment. <paramref name="commentEmbedding"/> may be passed when already computed
    /// (e.g. by <see cref="SentenceEmbedder.EmbedBatch"/>); otherwise the embedder computes it.</summary>
    public RelevanceResult Score(ArticleProfile article, string? commentText, ThreadContext? thread,
        IDocumentFrequencies df, float[]? commentEmbedding = null) =>
        ScoreCore(article, commentText, thread, df, commentEmbedding, mayEmbed: true);

    /// <summary>Scores with the lexical model only (no embedding, even with an embedder): the cheap first pass of
    /// the embedding gate. Same result as a scorer without embedder.</summary>
    public RelevanceResult ScoreLexical(ArticleProfile article, string? commentText, ThreadContext? thread, IDocumentFrequencies df) =>
        ScoreCore(article, commentText, thread, df, null, mayEmbed: false);

    /// <summary>True when a lexical relevance is far enough from the off-topic threshold that the embedding is
    /// not worth computing (see <see cref="RelevanceOptions.EmbeddingGateMargin"/>).</summary>
    public bool IsDecisive(double lexicalRelevance) =>
        Math.Abs(lexicalRelevance - Options.OffTopicThreshold) >= Options.EmbeddingGateMargin;

    private RelevanceResult ScoreCore(ArticleProfile article, string? commentText, ThreadContext? thread,
        IDocumentFrequencies df, float[]? commentEmbedding, bool mayEmbed)
    {
        ArgumentNullException.ThrowIfNull(article);
        ArgumentNullException.ThrowIfNull(df);
        var text = TextAnalysis.Sanitize(commentText);
        thread ??= ThreadContext.Empty;
        var o = Options;

        var embedding = commentEmbedding ?? (mayEmbed ? TryEmbed(text) : null);
        var computed = RelevanceFeatures.Compute(article, text, thread, df, embedding, o);
        bool semantic = computed.Features.Length == RelevanceFeatures.SemanticCount;
        var model = semantic ? _semantic : _lexical;
        double relevance = model is not null && model.FeatureCount == computed.Features.Length
            ? model.Predict(computed.Features)
            : FallbackModel.Predict(computed.Features);
        if (computed.Generic) relevance = Math.Max(relevance, o.GenericReplyRelevance);   // low value ≠ off topic
        relevance = Math.Round(relevance, 6);

        int median = thread.SiblingWordCounts is { Count: >= 3 } ? thread.MedianWordCount()!.Value : o.DefaultThreadMedianWords;
        double otl = Math.Round(OffTopicLengthRule.Score(relevance, computed.WordCount, article.WordCount, median, o), 6);
        string? reason = OffTopicLengthRule.Reason(relevance, otl, computed.WordCount, o);

        string? bestSentence = null;
        double? bestScore = null;
        if (computed.BestSemanticSentence >= 0)
        {
            bestSentence = article.Sentences[computed.BestSemanticSentence];
            bestScore = Math.Round(computed.BestSemanticScore, 4);
        }
        else if (computed.Lexical.BestSentenceIndex >= 0)
        {
            bestSentence = article.Sentences[computed.Lexical.BestSentenceIndex];
            bestScore = Math.Round(computed.Lexical.BestSentenceOverlap, 4);
        }

        var offTopicSentences = reason is not null && computed.WordCount >= o.LongCommentMinWords
            ? OffTopicSentences.Find(article, text, semantic ? _embedder : null, o)
            : [];
        var evidence = new RelevanceEvidence(bestSentence, bestScore, computed.Lexical.SharedTerms, offTopicSentences,
            computed.WordCount, article.WordCount, median);
        return new RelevanceResult(relevance, otl, reason, evidence, embedding);
    }

    private float[]? TryEmbed(string text)
    {
        if (_embedder is null) return null;
        try { return _embedder.Embed(text); }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            return null;   // odd input the tokenizer/runtime rejects: fall back to the lexical model
        }
    }
}
