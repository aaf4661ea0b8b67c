namespace Moderation.Core.Relevance.Training;

/// <summary>
/// `train relevance --explore`: fits candidate feature sets and regularisations once on the same rows and prints
/// their AUC on the forum CALIBRATION split (a development set) and on one grouped fold of our own training
/// articles, so a choice of model is made without touching either held-back set.
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
        var own = ExampleBuilder.Build(train, embedder, ownDf, options, seed, 1f, true, log).Semantic;
        var forumTrain = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Train), embedder, forumDf, options, seed, 1f, false, log).Semantic;
        // Negative sampling inside the forum too: each thread its own "topic", replies of other threads as off-topic rows.
        var forumTrainNeg = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Train).Select(a => a with { Topic = a.Id }).ToList(),
            embedder, forumDf, options, seed, 1f, true, log).Semantic;
        var forumCal = ExampleBuilder.Build(RelevanceTraining.Part(forum, ForumSplit.Calibration), embedder, forumDf, options, seed, 1f, false, log).Semantic;
        int hand = own.Count(e => e.Weight >= 1);
        float w = (float)hand / forumTrain.Count;

        var scalars = Enumerable.Range(0, RelevanceFeatures.ScalarCount).ToArray();
        var noSiblings = scalars.Where(i => i is < 14 or > 16).ToArray();
        var withC = scalars.Concat(Enumerable.Range(RelevanceFeatures.ScalarCount, RelevanceFeatures.Dimensions)).ToArray();
        var withCNoSiblings = withC.Where(i => i is < 14 or > 16).ToArray();
        var variants = new (string Name, int[] Columns, float L2, float ForumWeight, bool ForumNegatives)[]
        {
            ("scalars+c L2=10 + forum negatives", withC, 10, w, true),
            ("scalars L2=1", scalars, 1, w, false), ("scalars, no siblings", noSiblings, 1, w, false), ("scalars own only", scalars, 1, 0, false),
            ("scalars+c L2=3", withC, 3, w, false), ("scalars+c L2=10", withC, 10, w, false), ("scalars+c L2=30", withC, 30, w, false),
            ("scalars+c L2=10 forum x1.5", withC, 10, 1.5f * w, false), ("scalars+c L2=10 forum x2", withC, 10, 2 * w, false),
            ("scalars+c L2=10 forum x0.5", withC, 10, 0.5f * w, false),
            ("scalars+c, no siblings", withCNoSiblings, 10, w, false),
        };
        foreach (var (name, cols, l2, fw, negatives) in variants)
        {
            Example Pick(Example e, float weight) => e with { Features = cols.Select(i => e.Features[i]).ToArray(), Weight = weight };
            var ownTrain = own.Where(e => e.Fold != 0).Select(e => Pick(e, e.Weight)).ToList();
            var ownValid = own.Where(e => e.Fold == 0 && e.Weight >= 1).Select(e => Pick(e, 1)).ToList();
            var rows = ownTrain.Concat(fw > 0 ? (negatives ? forumTrainNeg : forumTrain).Select(e => Pick(e, e.Weight * fw)) : []).ToList();
            var m = RelevanceTraining.FitOne(rows, cols.Length, seed, l2);
            double Auc(IEnumerable<Example> set) => RelevanceMetrics.ComputeAuc(set.Select(e => (m.PredictRaw(e.Features), e.Label)).ToArray());
            log.WriteLine($"  {name,-26} forum-calibration AUC {Auc(forumCal.Select(e => Pick(e, 1))):F3}   own fold-0 AUC {Auc(ownValid):F3}");
        }
    }
}
