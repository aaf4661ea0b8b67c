using System.Runtime.CompilerServices;
using Moderation.Core.Profanity;
using Moderation.Core.Relevance;

namespace Moderation.Core.Scoring;

/// <summary>
/// The scoring pipeline: profanity (lexicon, normaliser, classifier) and relevance with off-topic
/// length (lexical features, sentence embeddings when an embedder is given, an ML.NET model).
/// Candidate reasons carry their evidence; the policy decides which of them count.
/// </summary>
public sealed class CommentScorer(ProfanityScorer profanity, RelevanceScorer relevance, SentenceEmbedder? embedder) : ICommentScorer
{
    readonly ArticleProfiler profiler = new(embedder);
    readonly ArticleProfiler termsOnly = new(null);

    /// <summary>Decoded profiles, keyed by the stored bytes: a batch decodes each article once.</summary>
    readonly ConditionalWeakTable<byte[], ArticleProfile> decoded = new();

    /// <summary>Bump when the profile format or the embedding model changes: stored profiles are then rebuilt.</summary>
    public int ProfileVersion => embedder is null ? 2001 : 2002;

    public byte[] BuildArticleProfile(string title, string body) => ArticleProfileCodec.Encode(profiler.Build(title, body));

    public IReadOnlySet<string> ArticleTerms(string title, string body) => termsOnly.Build(title, body).Terms.ToHashSet(StringComparer.Ordinal);

    public ScoreResult Score(string text, ArticleToScore article, ThreadToScore thread, ITermStatistics terms)
    {
        var p = profanity.Score(text);
        var profile = decoded.GetValue(article.Profile, ArticleProfileCodec.Decode);
        var r = relevance.Score(profile, text, new ThreadContext(thread.ParentRelevance, thread.SiblingEmbeddings, thread.SiblingWordCounts),
            new CombinedFrequencies(new Frequencies(terms), BackgroundFrequencies.Embedded));
        var reasons = new List<Reason>();
        if (p.Score > 0)
            reasons.Add(new Reason(ReasonCodes.Profanity, Math.Round(p.Score, 4), p.Matches.Select(ToSpan).ToList()));
        if (r.ReasonCode == ReasonCodes.OffTopicLength)
            reasons.Add(new Reason(ReasonCodes.OffTopicLength, Math.Round(r.OffTopicLength, 4), null, Evidence(r)));
        else if (r.ReasonCode == ReasonCodes.OffTopic)
            reasons.Add(new Reason(ReasonCodes.OffTopic, Math.Round(1 - r.Relevance, 4), null, Evidence(r)));
        var scores = new Scores(Math.Round(p.Score, 4), Math.Round(r.Relevance, 4), Math.Round(r.OffTopicLength, 4));
        return new ScoreResult(scores, reasons, r.CommentEmbedding);
    }

    static Span ToSpan(ProfanityMatch m) => new(m.Start, m.End, m.Text, m.Term, m.Severity.ToString().ToLowerInvariant());

    /// <summary>What a moderator needs to see why a comment strays: the closest article sentence, shared terms, the stray sentences, lengths.</summary>
    static Dictionary<string, object?> Evidence(RelevanceResult r) => new()
    {
        ["relevance"] = Math.Round(r.Relevance, 4),
        ["mostSimilarSentence"] = r.Evidence.MostSimilarSentence,
        ["mostSimilarSentenceScore"] = r.Evidence.MostSimilarSentenceScore is { } s ? Math.Round(s, 4) : null,
        ["sharedTerms"] = r.Evidence.SharedTerms,
        ["offTopicSentences"] = r.Evidence.OffTopicSentences,
        ["wordCount"] = r.Evidence.WordCount,
        ["articleWordCount"] = r.Evidence.ArticleWordCount,
        ["threadMedianWordCount"] = r.Evidence.ThreadMedianWordCount,
    };

    sealed class Frequencies(ITermStatistics terms) : IDocumentFrequencies
    {
        public long DocumentCount => terms.DocumentCount;
        public long DocumentFrequency(string term) => terms.DocumentFrequency(term);
    }
}
