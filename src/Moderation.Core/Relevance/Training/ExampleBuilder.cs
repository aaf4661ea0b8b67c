namespace Moderation.Core.Relevance.Training;

internal sealed record Example(float[] Features, bool Label, float Weight, int Fold);

/// <summary>Turns labelled threads into feature rows for both models.</summary>
internal static class ExampleBuilder
{
    public sealed record Set(List<Example> Semantic, List<Example> Lexical)
    {
        public static Set Empty() => new([], []);
        public void AddRange(Set other) { Semantic.AddRange(other.Semantic); Lexical.AddRange(other.Lexical); }
    }

    /// <param name="train">Training threads, in split order (fold = index mod 5).</param>
    /// <param name="df">Document frequencies of the collection these threads live in.</param>
    /// <param name="weight">Weight of each hand-labelled row.</param>
    /// <param name="negativeSampling">Also score on-topic comments of other-topic threads against each thread, as
    /// off-topic rows of weight <see cref="RelevanceTraining.NegativeWeight"/> (easy negatives: weighted below hand labels).</param>
    /// <param name="extra">`--explore` only: candidate features appended to each semantic row (article profile, comment,
    /// its vector, its parent's vector or null, its thread).</param>
    public static Set Build(IReadOnlyList<TrainingArticle> train, SentenceEmbedder? embedder, IDocumentFrequencies df,
        RelevanceOptions options, int seed, float weight, bool negativeSampling, TextWriter log,
        Func<ArticleProfile, string, float[], float[]?, ThreadContext, float[]>? extra = null)
    {
        var profiler = new ArticleProfiler(embedder);
        var profiles = train.ToDictionary(a => a.Id, a => profiler.Build(a.Title, a.Body));
        log.WriteLine($"  profiled {profiles.Count} threads");

        var embeddings = new Dictionary<(string, string), float[]>();
        if (embedder is not null)
        {
            var keys = train.SelectMany(a => a.Comments.Select(c => (a.Id, c.Id, c.Text))).ToArray();
            var vectors = embedder.EmbedBatch(keys.Select(k => (string?)k.Text).ToArray());
            for (int i = 0; i < keys.Length; i++) embeddings[(keys[i].Item1, keys[i].Item2)] = vectors[i];
            log.WriteLine($"  embedded {keys.Length} comments");
        }
        float[]? Emb(string a, string c) => embeddings.TryGetValue((a, c), out var v) ? v : null;

        var set = Set.Empty();
        void Add(ArticleProfile p, string text, ThreadContext t, float[]? emb, bool label, float w, int fold, float[]? parentEmb = null)
        {
            set.Lexical.Add(new Example(RelevanceFeatures.Compute(p, text, t, df, null, options).Features, label, w, fold));
            if (emb is null) return;
            var f = RelevanceFeatures.Compute(p, text, t, df, emb, options).Features;
            if (extra is not null) f = [.. f, .. extra(p, text, emb, parentEmb, t)];
            set.Semantic.Add(new Example(f, label, w, fold));
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
                if (c.Unlabelled) continue;
                // Parent relevance: the parent's label, softened (in production it is the parent's predicted relevance).
                double? parent = c.ParentId is not null && labels.TryGetValue(c.ParentId, out var on) ? (on ? 0.9 : 0.1) : null;
                var earlier = a.Comments.Take(i).Reverse().Take(options.MaxSiblings).ToArray();
                var thread = new ThreadContext(parent,
                    earlier.Select(s => Emb(a.Id, s.Id)).OfType<float[]>().ToArray(),
                    earlier.Select(s => TextAnalysis.WordCount(s.Text)).ToArray());
                Add(p, c.Text, thread, Emb(a.Id, c.Id), c.OnTopic, weight, fold, c.ParentId is null ? null : Emb(a.Id, c.ParentId));
            }
            if (!negativeSampling) continue;

            // Negative sampling: on-topic, top-level, non-generic comments from unrelated training articles.
            var fullThread = a.Comments.AsEnumerable().Reverse().Take(options.MaxSiblings).ToArray();
            var negThread = new ThreadContext(null,
                fullThread.Select(s => Emb(a.Id, s.Id)).OfType<float[]>().ToArray(),
                fullThread.Select(s => TextAnalysis.WordCount(s.Text)).ToArray());
            var candidates = train.Where(b => b.Topic != a.Topic || string.IsNullOrEmpty(a.Topic))
                .Where(b => b.Id != a.Id)
                .SelectMany(b => b.Comments.Where(c => c.OnTopic && !c.Unlabelled && c.ParentId is null
                                                       && TextAnalysis.WordCount(c.Text) >= 5
                                                       && !GenericReplies.IsGeneric(c.Text, options.GenericReplyMaxWords))
                    .Select(c => (B: b.Id, C: c)))
                .OrderBy(x => TrainingData.StableHash(seed, $"{a.Id}|{x.B}|{x.C.Id}"))
                .Take(a.Comments.Count);
            foreach (var (b, c) in candidates) Add(p, c.Text, negThread, Emb(b, c.Id), false, RelevanceTraining.NegativeWeight * weight, fold);
        }
        return set;
    }
}
