using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Moderation.Core.Relevance.Training;

/// <summary>Result of <see cref="RelevanceTraining.Train"/>.</summary>
public sealed record RelevanceTrainingReport(
    int Articles, IReadOnlyList<string> TestArticleIds, int TrainExamples, int NegativeSamples,
    string SemanticTrainer, string LexicalTrainer, IReadOnlyList<RelevanceMetrics> HeldBack, IReadOnlyList<string> ModelFiles);

/// <summary>
/// Trains the two relevance models (semantic: all features; lexical: lexical + thread features) from
/// training-data/relevance. Deterministic: fixed seed, single-threaded trainers, hash-ordered split.
/// Examples: every hand-labelled comment of a training article (weight 1) plus negative samples — on-topic
/// top-level comments of articles with a different topic, scored against this article (label off-topic,
/// weight <see cref="NegativeWeight"/>). The trainer (logistic regression vs FastTree) is chosen by
/// 5-fold cross-validation grouped by article on the TRAINING articles only; the held-back articles are
/// touched once, for the final report.
/// </summary>
public static class RelevanceTraining
{
    public const float NegativeWeight = 0.3f;
    public const string SemanticFile = "relevance-semantic.zip";
    public const string LexicalFile = "relevance-lexical.zip";
    private const int Folds = 5;

    public static RelevanceTrainingReport Train(string dataDir, string modelDir, int seed = 42,
        SentenceEmbedder? embedder = null, bool semantic = true, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var articles = TrainingData.Load(dataDir, log);
        if (articles.Count < 3) throw new InvalidOperationException($"Need at least 3 article files in {dataDir}, found {articles.Count}.");
        var (train, test) = TrainingData.Split(articles, seed);
        log.WriteLine($"{articles.Count} articles: {train.Count} train, {test.Count} held back ({string.Join(", ", test.Select(a => a.Id))})");

        bool ownEmbedder = semantic && embedder is null;
        if (ownEmbedder) embedder = SentenceEmbedder.CreateDefault();
        try
        {
            var options = new RelevanceOptions();
            var df = new InMemoryDocumentFrequencies();
            var set = ExampleBuilder.Build(train, semantic ? embedder : null, df, options, seed, articles, log);
            Directory.CreateDirectory(modelDir);
            var files = new List<string>();
            string lexKind = "", semKind = "";
            RelevanceModel? semModel = null;

            var lexModel = Fit(set.Lexical, RelevanceFeatures.LexicalCount, seed, log, "lexical", out lexKind);
            files.Add(Save(lexModel, modelDir, LexicalFile));
            if (semantic)
            {
                semModel = Fit(set.Semantic, RelevanceFeatures.SemanticCount, seed, log, "semantic", out semKind);
                files.Add(Save(semModel, modelDir, SemanticFile));
            }

            var metrics = new List<RelevanceMetrics>();
            if (semantic)
                metrics.Add(RelevanceEvaluation.Evaluate("held-back, with embeddings", test, df,
                    new RelevanceScorer(embedder, semModel, lexModel, options), options));
            metrics.Add(RelevanceEvaluation.Evaluate("held-back, lexical only", test, df,
                new RelevanceScorer(null, semModel, lexModel, options), options));
            return new RelevanceTrainingReport(articles.Count, test.Select(a => a.Id).ToArray(),
                set.Lexical.Count, set.Lexical.Count(e => e.Weight < 1), semKind, lexKind, metrics, files);
        }
        finally
        {
            if (ownEmbedder) embedder!.Dispose();
        }
    }

    private static string Save(RelevanceModel model, string dir, string file)
    {
        var path = Path.Combine(dir, file);
        model.Save(path);
        return path;
    }

    /// <summary>Chooses the trainer by grouped cross-validation on the training examples, then fits on all of them.</summary>
    private static RelevanceModel Fit(IReadOnlyList<Example> examples, int featureCount, int seed, TextWriter log,
        string name, out string chosen)
    {
        string best = "lbfgs";
        double bestAuc = double.MinValue;
        foreach (var kind in new[] { "lbfgs", "fasttree" })
        {
            var aucs = new List<double>();
            for (int fold = 0; fold < Folds; fold++)
            {
                var trainRows = examples.Where(e => e.Fold != fold).ToArray();
                var validRows = examples.Where(e => e.Fold == fold && e.Weight >= 1).ToArray();
                if (validRows.Select(e => e.Label).Distinct().Count() < 2) continue;
                var m = FitOne(trainRows, featureCount, seed, kind);
                aucs.Add(RelevanceMetrics.ComputeAuc(validRows.Select(e => (m.Predict(e.Features), e.Label)).ToArray()));
            }
            double mean = aucs.Count == 0 ? 0 : aucs.Average();
            log.WriteLine($"  {name}: {kind} grouped {Folds}-fold CV AUC on training articles = {mean:F3}");
            if (mean > bestAuc + 1e-9) { bestAuc = mean; best = kind; }
        }
        chosen = best;
        return FitOne(examples, featureCount, seed, best);
    }

    internal static RelevanceModel FitOne(IReadOnlyList<Example> examples, int featureCount, int seed, string kind)
    {
        var ml = new MLContext(seed);
        var rows = examples.Select(e => new RelevanceModel.Row { Features = e.Features, Label = e.Label, Weight = e.Weight });
        var data = ml.Data.LoadFromEnumerable(rows.ToArray(), RelevanceModel.Schema(featureCount));
        IEstimator<ITransformer> pipeline = kind == "fasttree"
            ? ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfLeaves = 8, NumberOfTrees = 150, MinimumExampleCountPerLeaf = 10, LearningRate = 0.05,
                NumberOfThreads = 1, Seed = seed, ExampleWeightColumnName = "Weight",
            })
            : ml.Transforms.NormalizeMeanVariance("Features")
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    L2Regularization = 1f, NumberOfThreads = 1, ExampleWeightColumnName = "Weight",
                }));
        return new RelevanceModel(ml, pipeline.Fit(data), featureCount);
    }
}
