namespace Moderation.Core.Relevance.Training;

/// <summary>
/// `train relevance --explore`: fits candidate feature sets and regularisations once on the same rows and prints
/// their AUC on the forum CALIBRATION split (a development set) and on one grouped fold of our own training
/// articles, so a choice of model is made without touching either held-back set. Candidate features that did not
/// ship are computed here only (<see cref="Candidates"/>), appended after the shipped ones.
/// </summary>
public static class RelevanceExploration
{
    public static void Run(IEnumerable<TrainingFile> articleFiles, TrainingFile? forumFile, int seed, TextWriter log)
    {
        var articles = TrainingData.Load(articleFiles, log);
        var (train, _) = TrainingData.Split(articles, seed);
        var forum = RelevanceTraining.LoadForum(forumFile, log);
        using var embedder = SentenceEmbedder.CreateDefault();
        var options = new RelevanceOptions();
        var ownDf = RelevanceTraining.Frequencies(articles);
        var forumDf = RelevanceTraining.ForumFrequencies(forum, ownDf);
        // Candidate features (appended after the shipped ones): every comment sentence embedded alone.
        var texts = train.Concat(RelevanceTraining.Part(forum, ForumSplit.Train)).Concat(RelevanceTraining.Part(forum, ForumSplit.Calibration))
            .SelectMany(a => a.Comments).SelectMany(c => CandidateSentences(c.Text)).Distinct().ToArray();
        var sentenceVectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var vs = embedder.EmbedBatch(texts);
        for (int i = 0; i < texts.Length; i++) sentenceVectors[texts[i]] = vs[i];
        log.WriteLine($"  embedded {texts.Length} comment sentences");
        float[] Extra(ArticleProfile p, string text, float[] c, float[]? parent, ThreadContext t) => Candidates(p, text, c, parent, t, sentenceVectors);
        var own = ExampleBuilder.Build(train, embedder, ownDf, options, seed, 1f, true, log, Extra).Semantic;
        var forumTrain = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Train), embedder, forumDf, options, seed, 1f, false, log, Extra).Semantic;
        // Negative sampling inside the forum too: each thread its own "topic", replies of other threads as off-topic rows.
        var forumTrainNeg = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Train).Select(a => a with { Topic = a.Id }).ToList(),
            embedder, forumDf, options, seed, 1f, true, log, Extra).Semantic;
        // PotentiallyUseful replies as on-topic rows (they address the question, just not well).
        var forumTrainPu = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Train)
                .Select(a => a with { Comments = a.Comments.Select(c => c.Unlabelled ? c with { OnTopic = true, Unlabelled = false } : c).ToList() }).ToList(),
            embedder, forumDf, options, seed, 1f, false, log, Extra).Semantic;
        var forumCal = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Calibration), embedder, forumDf, options, seed, 1f, false, log, Extra).Semantic;
        int e0 = RelevanceFeatures.SemanticCount;
        int[] Ex(params int[] k) => k.Select(i => e0 + i).ToArray();
        for (int k = 0; k < CandidateNames.Length; k++)
            log.WriteLine($"  single candidate {CandidateNames[k],-24} forum-calibration AUC {RelevanceMetrics.ComputeAuc(forumCal.Select(e => ((double)e.Features[e0 + k], e.Label)).ToArray()):F3}" +
                          $"   own fold-0 AUC {RelevanceMetrics.ComputeAuc(own.Where(e => e.Fold == 0 && e.Weight >= 1).Select(e => ((double)e.Features[e0 + k], e.Label)).ToArray()):F3}");
        int hand = own.Count(e => e.Weight >= 1);
        float w = (float)hand / forumTrain.Count;

        var scalars = Enumerable.Range(0, RelevanceFeatures.ScalarCount).ToArray();
        var noSiblings = scalars.Where(i => i is < 14 or > 16).ToArray();
        var withC = scalars.Concat(Enumerable.Range(RelevanceFeatures.ScalarCount, RelevanceFeatures.Dimensions)).ToArray();
        var withCNoSiblings = withC.Where(i => i is < 14 or > 16).ToArray();
        int domain = e0 + CandidateNames.Length;   // 1 on forum training rows, 0 everywhere else (as the service scores)
        float wPu = (float)hand / forumTrainPu.Count;   // the forum's total weight kept equal to our hand labels'
        var variants = new (string Name, int[] Columns, float L2, float ForumWeight, List<Example> Forum)[]
        {
            ("scalars+c L2=10 (shipped regression)", withC, 10, w, forumTrain),
            ("scalars L2=1", scalars, 1, w, forumTrain), ("scalars, no siblings", noSiblings, 1, w, forumTrain), ("scalars own only", scalars, 1, 0, forumTrain),
            ("scalars+c L2=3", withC, 3, w, forumTrain), ("scalars+c L2=30", withC, 30, w, forumTrain),
            ("scalars+c forum x2", withC, 10, 2 * w, forumTrain), ("scalars+c forum x0.5", withC, 10, 0.5f * w, forumTrain),
            ("scalars+c, no siblings", withCNoSiblings, 10, w, forumTrain),
            ("scalars+c + forum negatives", withC, 10, w, forumTrainNeg),
            // Issue 14's candidate signals (measured for the trees blend; none moved either development set).
            ("+ sentence max/min/off share", [.. withC, .. Ex(0, 1, 2)], 10, w, forumTrain),
            ("+ all sentence features", [.. withC, .. Ex(0, 1, 2, 3, 4)], 10, w, forumTrain),
            ("+ parent cosine", [.. withC, .. Ex(5, 6)], 10, w, forumTrain),
            ("+ generic word share", [.. withC, .. Ex(7)], 10, w, forumTrain),
            ("+ recent siblings", [.. withC, .. Ex(8, 9)], 10, w, forumTrain),
            ("+ domain intercept", [.. withC, domain], 10, w, forumTrain),
            ("PotentiallyUseful as on topic", withC, 10, wPu, forumTrainPu),
        };
        foreach (var (name, cols, l2, fw, forumRows) in variants)
        {
            Example Pick(Example e, float weight) => e with { Features = cols.Select(i => e.Features[i]).ToArray(), Weight = weight };
            Example Dom(Example e, float v) { var f = (float[])e.Features.Clone(); f[domain] = v; return e with { Features = f }; }
            var ownTrain = own.Where(e => e.Fold != 0).Select(e => Pick(e, e.Weight));
            var ownValid = own.Where(e => e.Fold == 0 && e.Weight >= 1).Select(e => Pick(e, 1)).ToList();
            var rows = ownTrain.Concat(fw > 0 ? forumRows.Select(e => Pick(Dom(e, 1), e.Weight * fw)) : []).ToList();
            var m = RelevanceTraining.FitOne(rows, cols.Length, seed, l2);
            double Auc(IEnumerable<Example> set) => RelevanceMetrics.ComputeAuc(set.Select(e => (m.PredictRaw(e.Features), e.Label)).ToArray());
            log.WriteLine($"  {name,-36} forum-calibration AUC {Auc(forumCal.Select(e => Pick(e, 1))):F3}   own fold-0 AUC {Auc(ownValid):F3}");
        }

        // Boosted trees over the scalars (no length among them), alone and blended with the regression (logits added):
        // what the shipped semantic model does (RelevanceModel.WithTrees).
        var rowsAll = own.Where(e => e.Fold != 0).Concat(forumTrain.Select(e => e with { Weight = e.Weight * w })).ToList();
        var valid = own.Where(e => e.Fold == 0 && e.Weight >= 1).ToList();
        Example S(Example e) => e with { Features = e.Features[..RelevanceFeatures.ScalarCount] };
        Example C(Example e) => e with { Features = e.Features[..RelevanceFeatures.SemanticCount] };
        var lin = RelevanceTraining.FitOne(rowsAll.Select(C).ToList(), RelevanceFeatures.SemanticCount, seed);
        double AucOf(IEnumerable<Example> set, Func<Example, double> f) => RelevanceMetrics.ComputeAuc(set.Select(e => (f(e), e.Label)).ToArray());
        foreach (var (leaves, count) in new[] { (4, 100), (8, 200), (16, 300), (16, 500), (32, 400) })
        {
            var trees = RelevanceTraining.FitTrees(rowsAll.Select(S).ToList(), RelevanceFeatures.ScalarCount, seed, leaves, count);
            var blend = lin.WithTrees(trees);
            log.WriteLine($"  trees {leaves}x{count} alone                   forum-calibration AUC {AucOf(forumCal, e => trees.PredictRaw(S(e).Features)):F3}   own fold-0 AUC {AucOf(valid, e => trees.PredictRaw(S(e).Features)):F3}");
            log.WriteLine($"  regression + trees {leaves}x{count}            forum-calibration AUC {AucOf(forumCal, e => blend.PredictRaw(C(e).Features)):F3}   own fold-0 AUC {AucOf(valid, e => blend.PredictRaw(C(e).Features)):F3}");
        }
    }

    private static readonly string[] CandidateNames =
        ["sent_max_article", "sent_min_article", "sent_offtopic_share", "sent_max_best_sentence", "sent_mean_article", "parent_cos", "has_parent_vec", "generic_share",
         "prev_sibling_cos", "recent3_max_cos", "article_minus_recent"];

    private static IEnumerable<string> CandidateSentences(string? text) =>
        TextAnalysis.Sentences(TextAnalysis.Sanitize(text)).Where(s => TextAnalysis.WordCount(s) >= 3);

    private static float[] Candidates(ArticleProfile p, string text, float[] c, float[]? parent, ThreadContext t, Dictionary<string, float[]> sentenceVectors)
    {
        var vectors = CandidateSentences(text).Select(s => sentenceVectors.TryGetValue(s, out var v) ? v : null).OfType<float[]>().ToList();
        if (vectors.Count == 0) vectors.Add(c);
        var simA = vectors.Select(v => VectorMath.Cosine(v, p.Embedding!)).ToArray();
        var simChunk = vectors.Select(v => p.ChunkEmbeddings.Select(x => VectorMath.Cosine(v, x)).DefaultIfEmpty(0).Max()).ToArray();
        var simBest = vectors.Select(v => p.SentenceEmbeddings.Select(x => VectorMath.Cosine(v, x)).DefaultIfEmpty(0).Max()).ToArray();
        var words = TextAnalysis.Words(text);
        var recent = t.SiblingEmbeddings.Take(3).Select(v => VectorMath.Cosine(c, v)).ToArray();
        double generic = words.Count == 0 ? 0 : words.Count(x => GenericReplies.IsGeneric(x, 1)) / (double)words.Count;
        return
        [
            (float)simA.Max(), (float)simA.Min(), (float)simChunk.Count(x => x < 0.2) / simChunk.Length, (float)simBest.Max(), (float)simA.Average(),
            parent is null ? 0 : (float)VectorMath.Cosine(c, parent), parent is null ? 0 : 1, (float)generic,
            recent.Length == 0 ? 0 : (float)recent[0], recent.Length == 0 ? 0 : (float)recent.Max(),
            (float)(VectorMath.Cosine(c, p.Embedding!) - (recent.Length == 0 ? 0 : recent.Max())),
            0,   // domain slot, set by the variant
        ];
    }

}
