namespace Moderation.Core.Relevance.Training;

internal sealed record Example(float[] Features, bool Label, float Weight, int Fold);

/// <summary>Turns training articles into feature rows for both models.</summary>
internal static class ExampleBuilder
{
    public sealed record Set(List<Example> Semantic, List<Example> Lexical);

    /// <param name="train">Training articles, in split order (fold = index mod 5).</param>
    /// <param name="all">All articles: only their terms enter the document frequencies, as every stored article does in production.</param>
    public static Set Build(IReadOnlyList<TrainingArticle> train, SentenceEmbedder? embedder, InMemoryDocumentFrequencies df,
        RelevanceOptions options, int seed, IReadOnlyList<TrainingArticle> all, TextWriter log)
    {
        var profiler = new ArticleProfiler(embedder);
        foreach (var a in all) df.Add(TextAnalysis.TermCounts(a.Title + "\n\n" + a.Body).Keys);
        var profiles = train.ToDictionary(a => a.Id, a => profiler.Build(a.Title, a.Body));
        log.WriteLine($"  profiled {profiles.Count} training articles");

        var embeddings = new Dictionary<(string, string), float[]>();
        if (embedder is not null)
        {
            var keys = train.SelectMany(a => a.Comments.Select(c => (a.Id, c.Id, c.Text))).ToArray();
            var vectors = embedder.EmbedBatch(keys.Select(k => (string?)k.Text).ToArray());
            for (int i = 0; i < keys.Length; i++) embeddings[(keys[i].Item1, keys[i].Item2)] = vectors[i];
            log.WriteLine($"  embedded {keys.Length} comments");
        }
        float[]? Emb(string a, string c) => embeddings.TryGetValue((a, c), out var v) ? v : null;

        var sem = new List<Example>();
        var lex = new List<Example>();
        void Add(ArticleProfile p, string text, ThreadContext t, float[]? emb, bool label, float weight, int fold)
        {
            lex.Add(new Example(RelevanceFeatures.Compute(p, text, t, df, null, options).Features, label, weight, fold));
            if (emb is not null)
                sem.Add(new Example(RelevanceFeatures.Compute(p, text, t, df, emb, options).Features, label, weight, fold));
        }

        for (int ai = 0; ai < train.Count; ai++)
        {
            var a = train[ai];
            var p = profiles[a.Id];
            int fold = ai % 5;
            var labels = a.Comments.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().OnTopic);
            for (int i = 0; i < a.Comments.Count; i++)
            {
                var c = a.Comments[i];
                // Parent relevance: the parent's label, softened (in production it is the parent's predicted relevance).
                double? parent = c.ParentId is not null && labels.TryGetValue(c.ParentId, out var on) ? (on ? 0.9 : 0.1) : null;
                var earlier = a.Comments.Take(i).Reverse().Take(options.MaxSiblings).ToArray();
                var thread = new ThreadContext(parent,
                    earlier.Select(s => Emb(a.Id, s.Id)).OfType<float[]>().ToArray(),
                    earlier.Select(s => TextAnalysis.WordCount(s.Text)).ToArray());
                Add(p, c.Text, thread, Emb(a.Id, c.Id), c.OnTopic, 1f, fold);
            }

            // Negative sampling: on-topic, top-level, non-generic comments from unrelated training articles.
            var fullThread = a.Comments.AsEnumerable().Reverse().Take(options.MaxSiblings).ToArray();
            var negThread = new ThreadContext(null,
                fullThread.Select(s => Emb(a.Id, s.Id)).OfType<float[]>().ToArray(),
                fullThread.Select(s => TextAnalysis.WordCount(s.Text)).ToArray());
            var candidates = train.Where(b => b.Topic != a.Topic || string.IsNullOrEmpty(a.Topic))
                .Where(b => b.Id != a.Id)
                .SelectMany(b => b.Comments.Where(c => c.OnTopic && c.ParentId is null && TextAnalysis.WordCount(c.Text) >= 5
                                                       && !GenericReplies.IsGeneric(c.Text, options.GenericReplyMaxWords))
                    .Select(c => (B: b.Id, C: c)))
                .OrderBy(x => TrainingData.StableHash(seed, $"{a.Id}|{x.B}|{x.C.Id}"))
                .Take(a.Comments.Count);
            foreach (var (b, c) in candidates) Add(p, c.Text, negThread, Emb(b, c.Id), false, RelevanceTraining.NegativeWeight, fold);
        }
        return new Set(sem, lex);
    }
}
