namespace Moderation.Core.Relevance.Training;

/// <summary>One labelled comment as the service scored it, with what the reports break it down by.</summary>
/// <param name="Features">The scalar features the model saw (<see cref="RelevanceFeatures.Names"/>), for single-feature AUCs.</param>
/// <param name="SharedTerms">Distinct content terms the comment shares with the article.</param>
/// <param name="Embedded">The comment was embedded (false: the lexical score stood, behind the gate or without an embedder).</param>
public sealed record ScoredComment(string ArticleId, string CommentId, bool OnTopic, double Relevance, double OffTopicLength,
    string? Reason, int Words, int SharedTerms, float[] Features, bool Embedded = false);

/// <summary>
/// Scores labelled threads the way production does: each article profiled, its comments scored in file order, a
/// reply getting its parent's PREDICTED relevance and earlier comments' embeddings as siblings, and — when the
/// scorer's options set an embedding gate — the lexical score kept where it is decisive, as the worker does.
/// Unlabelled comments are scored (they are siblings of later ones) but not returned.
/// </summary>
public static class RelevanceEvaluation
{
    public static List<ScoredComment> Score(IReadOnlyList<TrainingArticle> articles, IDocumentFrequencies df, RelevanceScorer scorer)
    {
        var options = scorer.Options;
        var profiler = new ArticleProfiler(scorer.Embedder);
        var rows = new List<ScoredComment>();
        bool gated = scorer.HasEmbedder && options.EmbeddingGateMargin < 1;
        foreach (var a in articles)
        {
            var profile = profiler.Build(a.Title, a.Body);
            var predicted = new Dictionary<string, double>();
            var siblings = new List<(float[]? Emb, int Words)>();
            foreach (var c in a.Comments)
            {
                double? parent = c.ParentId is not null && predicted.TryGetValue(c.ParentId, out var pr) ? pr : null;
                var recent = siblings.AsEnumerable().Reverse().Take(options.MaxSiblings).ToArray();
                var thread = new ThreadContext(parent, recent.Select(s => s.Emb).OfType<float[]>().ToArray(),
                    recent.Select(s => s.Words).ToArray());
                var r = gated ? scorer.ScoreLexical(profile, c.Text, thread, df) : scorer.Score(profile, c.Text, thread, df);
                if (gated && !scorer.IsDecisive(r.Relevance)) r = scorer.Score(profile, c.Text, thread, df);
                predicted[c.Id] = r.Relevance;
                siblings.Add((r.CommentEmbedding, r.Evidence.WordCount));
                if (c.Unlabelled) continue;
                var computed = RelevanceFeatures.Compute(profile, TextAnalysis.Sanitize(c.Text), thread, df, r.CommentEmbedding, options);
                int shared = (int)Math.Round(computed.Lexical.ContentShare * computed.Lexical.ContentTermCount);
                rows.Add(new ScoredComment(a.Id, c.Id, c.OnTopic, r.Relevance, r.OffTopicLength, r.ReasonCode,
                    r.Evidence.WordCount, shared, computed.Features.Take(RelevanceFeatures.ScalarCount).ToArray(), r.CommentEmbedding is not null));
            }
        }
        return rows;
    }

    /// <summary>The summary line the training command and the tests use.</summary>
    public static RelevanceMetrics Evaluate(string name, IReadOnlyList<TrainingArticle> articles,
        IDocumentFrequencies df, RelevanceScorer scorer, RelevanceOptions options) =>
        RelevanceMetrics.From(name, Score(articles, df, scorer).Select(r => (r.Relevance, r.OnTopic)).ToArray(), options.OffTopicThreshold);
}
