namespace Moderation.Core.Relevance.Training;

/// <summary>
/// Evaluates a scorer the way production uses it: each article profiled, its comments scored in
/// file order, a reply getting its parent's PREDICTED relevance and earlier comments' embeddings as
/// siblings. Only hand-labelled comments are scored (negative samples are never evaluated).
/// </summary>
public static class RelevanceEvaluation
{
    public static RelevanceMetrics Evaluate(string name, IReadOnlyList<TrainingArticle> articles,
        IDocumentFrequencies df, RelevanceScorer scorer, RelevanceOptions options)
    {
        var profiler = new ArticleProfiler(scorer.HasEmbedder ? EmbedderOf(scorer) : null);
        var rows = new List<(double, bool)>();
        bool gated = scorer.HasEmbedder && scorer.Options.EmbeddingGateMargin < 1;
        int embedded = 0;
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
                // With the embedding gate (the worker's batch path): the lexical score stands when it is decisive.
                var r = gated ? scorer.ScoreLexical(profile, c.Text, thread, df) : scorer.Score(profile, c.Text, thread, df);
                if (gated && !scorer.IsDecisive(r.Relevance)) { r = scorer.Score(profile, c.Text, thread, df); embedded++; }
                predicted[c.Id] = r.Relevance;
                siblings.Add((r.CommentEmbedding, r.Evidence.WordCount));
                rows.Add((r.Relevance, c.OnTopic));
            }
        }
        if (gated) name += $" (gate {scorer.Options.EmbeddingGateMargin:0.###}: {embedded} of {rows.Count} embedded, {100.0 * embedded / Math.Max(1, rows.Count):F0} %)";
        return RelevanceMetrics.From(name, rows, options.OffTopicThreshold);
    }

    private static SentenceEmbedder? EmbedderOf(RelevanceScorer scorer) => scorer.Embedder;
}
