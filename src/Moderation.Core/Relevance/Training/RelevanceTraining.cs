using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Moderation.Core.Relevance.Training;

/// <summary>Result of <see cref="RelevanceTraining.Train"/>.</summary>
public sealed record RelevanceTrainingReport(
    int Articles, IReadOnlyList<string> TestArticleIds, int TrainExamples, int NegativeSamples, int ForumTrainRows,
    IReadOnlyList<RelevanceMetrics> HeldBack, IReadOnlyList<string> ModelFiles, RelevanceCalibration Calibration);

/// <summary>
/// Trains the two relevance models (semantic: every feature; lexical: lexical + thread features) from our own
/// news-style data (training-data/relevance) and the real forum replies (<see cref="ForumData"/>), calibrates them
/// on the forum calibration split and chooses the flag thresholds there. Deterministic: fixed seed,
/// single-threaded L-BFGS, hash-ordered splits.
/// <list type="bullet">
/// <item>Own data: every hand-labelled comment of a training article (weight 1) plus negative samples (on-topic
/// comments of other-topic articles, weight <see cref="NegativeWeight"/>); held-back articles (20 %) are only reported.</item>
/// <item>Forum: Good/Bad replies of the train threads, weighted so the forum and our own hand labels weigh the same
/// in total (neither domain drowns the other); calibration threads fit Platt scaling and the thresholds; held-back
/// threads are only reported.</item>
/// </list>
/// Logistic regression only: FastTree learned our data's recipes (length, wording) and was worse on real rows.
/// </summary>
public static class RelevanceTraining
{
    public const float NegativeWeight = 0.3f;
    public const string SemanticFile = "relevance-semantic.zip";
    public const string LexicalFile = "relevance-lexical.zip";
    /// <summary>The boosted trees over the scalar features blended into the semantic model (<see cref="RelevanceModel"/>).</summary>
    public const string SemanticTreesFile = "relevance-semantic-trees.zip";
    /// <summary>Size of those trees: 16 leaves × 300 trees (learning rate 0.05, ≥ 30 rows a leaf) was the best of
    /// 4×100, 8×200, 16×300 on the forum calibration threads and on our own fold 0; 16×500 and 32×400 were within 0.004
    /// on one set and no better on the other (`train relevance --explore`).</summary>
    internal const int TreeLeaves = 16, TreeCount = 300;
    /// <summary>L2 of the logistic regression: 3, 10 and 30 were within 0.002 AUC on the forum calibration split; 10.</summary>
    private const float L2 = 10f;

    /// <param name="articleFiles">Our own article files (training-data/relevance/*.json, found by the CLI).</param>
    /// <param name="forum">The forum replies (<see cref="ForumData"/>), or null when they are not there.</param>
    /// <param name="modelDir">Where the models and the calibration are written.</param>
    public static RelevanceTrainingReport Train(IEnumerable<TrainingFile> articleFiles, string modelDir, int seed = 42,
        SentenceEmbedder? embedder = null, bool semantic = true, TextWriter? log = null, TrainingFile? forum = null)
    {
        log ??= TextWriter.Null;
        var articles = TrainingData.Load(articleFiles, log);
        if (articles.Count < 3) throw new InvalidOperationException($"Need at least 3 readable article files, found {articles.Count}.");
        var (train, test) = TrainingData.Split(articles, seed);
        log.WriteLine($"own data: {articles.Count} articles: {train.Count} train, {test.Count} held back ({string.Join(", ", test.Select(a => a.Id))})");
        var threads = LoadForum(forum, log);

        bool ownEmbedder = semantic && embedder is null;
        if (ownEmbedder) embedder = SentenceEmbedder.CreateDefault();
        try
        {
            var options = new RelevanceOptions();
            var ownDf = Frequencies(articles);
            var forumDf = ForumFrequencies(threads, ownDf);
            var set = ExampleBuilder.Build(train, semantic ? embedder : null, ownDf, options, seed, 1f, negativeSampling: true, log);
            int ownRows = set.Lexical.Count, negatives = set.Lexical.Count(e => e.Weight < 1);
            var forumTrain = Part(threads, ForumSplit.Train);
            int forumRows = forumTrain.Sum(a => a.Comments.Count(c => !c.Unlabelled));
            if (forumRows > 0)
            {
                float w = (float)(ownRows - negatives) / forumRows;
                log.WriteLine($"  forum: {forumTrain.Count} train threads, {forumRows} rows at weight {w:F3}");
                set.AddRange(ExampleBuilder.Build(forumTrain, semantic ? embedder : null, forumDf, options, seed, w, negativeSampling: false, log));
            }

            var lexModel = FitOne(set.Lexical, RelevanceFeatures.LexicalCount, seed);
            var semModel = semantic
                ? FitOne(set.Semantic, RelevanceFeatures.SemanticCount, seed).WithTrees(FitTrees(Scalars(set.Semantic), RelevanceFeatures.ScalarCount, seed))
                : null;

            var calibration = RelevanceCalibration.Uncalibrated;
            var calibrationThreads = Part(threads, ForumSplit.Calibration);
            if (calibrationThreads.Count > 0)
            {
                var lexRaw = RelevanceEvaluation.Score(calibrationThreads, forumDf, new RelevanceScorer(null, null, lexModel, options));
                var lexPlatt = PlattCalibration.Fit(lexRaw.Select(r => (r.Relevance, r.OnTopic)).ToArray());
                var semPlatt = PlattCalibration.Identity;
                if (semModel is not null)
                {
                    var semRaw = RelevanceEvaluation.Score(calibrationThreads, forumDf, new RelevanceScorer(embedder, semModel, lexModel, options));
                    semPlatt = PlattCalibration.Fit(semRaw.Select(r => (r.Relevance, r.OnTopic)).ToArray());
                }
                lexModel = lexModel.WithCalibration(lexPlatt);
                semModel = semModel?.WithCalibration(semPlatt);
                var service = ServiceScorer(embedder, semModel, lexModel);
                var rows = RelevanceEvaluation.Score(calibrationThreads, forumDf, service);
                double offTopic = FlagThresholds.ChooseShort(rows, options.LongCommentMinWords);
                // The one use of the held-back threads before the report: does the short threshold chosen above keep its
                // precision on threads no choice has touched? A pass/fail check, never a value chosen there.
                var heldBackRows = RelevanceEvaluation.Score(Part(threads, ForumSplit.HeldBack), forumDf, service);
                double? heldBackPrecision = new FlagThresholds(offTopic, 2.0).ShortPrecision(heldBackRows, options.LongCommentMinWords);
                bool shortOn = offTopic <= 1 && heldBackPrecision >= 0.8;
                var flags = FlagThresholds.ChooseLong(rows, shortOn ? offTopic : 2.0, options.LongCommentMinWords);
                calibration = new RelevanceCalibration(semPlatt, lexPlatt, offTopic, shortOn, flags.OffTopicLength,
                    $"forum calibration split: {calibrationThreads.Count} threads, {rows.Count} Good/Bad replies (SemEval-2016 task 3, seed-independent thread split)");
                log.WriteLine($"  calibration: semantic {semPlatt}, lexical {lexPlatt}; off_topic {offTopic:0.00} reached 0.8 precision on short calibration comments; " +
                              $"on held-back threads it gives {heldBackPrecision:0.000} → short off-topic flags {(shortOn ? "ON" : "OFF by default")}; off_topic_length {flags.OffTopicLength:0.00}");
                RelevanceReport.Print("forum CALIBRATION split (development set: Platt and thresholds were fitted here)", rows, flags, log, features: false);
            }
            else log.WriteLine("  no forum data: models are NOT calibrated and the flag thresholds stay at their uncalibrated defaults");

            Directory.CreateDirectory(modelDir);
            var files = new List<string> { Save(lexModel, modelDir, LexicalFile) };
            if (semModel is not null)
            {
                files.Add(Save(semModel, modelDir, SemanticFile));
                files.Add(Save(semModel.Trees!, modelDir, SemanticTreesFile));
            }
            var calibrationPath = Path.Combine(modelDir, RelevanceCalibration.FileName);
            calibration.Save(calibrationPath);
            files.Add(calibrationPath);

            var thresholds = new FlagThresholds(calibration.DefaultOffTopicFlagAt, calibration.OffTopicLengthFlagAt);
            var metrics = new List<RelevanceMetrics>();
            var scorers = new List<(string Name, RelevanceScorer Scorer)>();
            if (semModel is not null) scorers.Add(("as the service scores (embeddings, gate)", ServiceScorer(embedder, semModel, lexModel)));
            scorers.Add(("lexical only", new RelevanceScorer(null, semModel, lexModel, options)));
            foreach (var (name, scorer) in scorers)
            {
                var own = RelevanceEvaluation.Score(test, ownDf, scorer);
                RelevanceReport.Print($"own held-back articles, {name}", own, thresholds, log);
                metrics.Add(RelevanceMetrics.From($"own held-back, {name}", own.Select(r => (r.Relevance, r.OnTopic)).ToArray(), options.OffTopicThreshold));
                var heldBack = Part(threads, ForumSplit.HeldBack);
                if (heldBack.Count == 0) continue;
                var real = RelevanceEvaluation.Score(heldBack, forumDf, scorer);
                RelevanceReport.Print($"REAL forum held-back threads, {name}", real, thresholds, log);
                metrics.Add(RelevanceMetrics.From($"forum held-back, {name}", real.Select(r => (r.Relevance, r.OnTopic)).ToArray(), options.OffTopicThreshold));
            }
            return new RelevanceTrainingReport(articles.Count, test.Select(a => a.Id).ToArray(), ownRows, negatives, forumRows,
                metrics, files, calibration);
        }
        finally
        {
            if (ownEmbedder) embedder!.Dispose();
        }
    }

    /// <summary>The scorer as the service configures it: embeddings behind the worker's default gate.</summary>
    public static RelevanceScorer ServiceScorer(SentenceEmbedder? embedder, RelevanceModel? semantic, RelevanceModel? lexical) =>
        new(embedder, semantic, lexical, new RelevanceOptions { EmbeddingGateMargin = RelevanceOptions.ServiceEmbeddingGate });

    /// <param name="file">The forum replies, or null when the host did not find them (then only our own data is used).</param>
    public static List<(TrainingArticle Thread, ForumSplit Split)> LoadForum(TrainingFile? file, TextWriter log)
    {
        if (file is null)
        {
            log.WriteLine("REAL DATA MISSING: no forum replies were handed in; " +
                          "training and evaluation use only our own data (see docs/RELEVANCE.md: ../shared/data/relevance).");
            return [];
        }
        var forum = ForumData.Load(file);
        log.WriteLine($"forum data: {forum.Count} threads from {file.Name}: " + string.Join(", ",
            Enum.GetValues<ForumSplit>().Select(s => $"{s} {forum.Count(f => f.Split == s)}")));
        return forum;
    }

    public static List<TrainingArticle> Part(IEnumerable<(TrainingArticle Thread, ForumSplit Split)> forum, ForumSplit split) =>
        forum.Where(f => f.Split == split).Select(f => f.Thread).ToList();

    /// <summary>The forum as its own site: its questions' frequencies plus ours as the background, as the service combines them.</summary>
    public static IDocumentFrequencies ForumFrequencies(IEnumerable<(TrainingArticle Thread, ForumSplit Split)> forum, IDocumentFrequencies own) =>
        new CombinedFrequencies(Frequencies(forum.Select(f => f.Thread)), own);

    public static InMemoryDocumentFrequencies Frequencies(IEnumerable<TrainingArticle> articles)
    {
        var df = new InMemoryDocumentFrequencies();
        foreach (var a in articles) df.Add(TextAnalysis.TermCounts(a.Title + "\n\n" + a.Body).Keys);
        return df;
    }

    private static string Save(RelevanceModel model, string dir, string file)
    {
        var path = Path.Combine(dir, file);
        model.Save(path);
        return path;
    }

    /// <summary>The rows with only their scalar features (what the trees read).</summary>
    internal static List<Example> Scalars(IEnumerable<Example> rows) =>
        rows.Select(e => e with { Features = e.Features[..RelevanceFeatures.ScalarCount] }).ToList();

    /// <summary>Boosted trees (FastTree, one thread, fixed seed: the same trees on every run). Their probability is
    /// blended into the regression's (<see cref="RelevanceModel.WithTrees"/>).</summary>
    internal static RelevanceModel FitTrees(IReadOnlyList<Example> examples, int featureCount, int seed,
        int leaves = TreeLeaves, int trees = TreeCount)
    {
        var ml = new MLContext(seed);
        var rows = examples.Select(e => new RelevanceModel.Row { Features = e.Features, Label = e.Label, Weight = e.Weight });
        var data = ml.Data.LoadFromEnumerable(rows.ToArray(), RelevanceModel.Schema(featureCount));
        var trainer = ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = leaves, NumberOfTrees = trees, LearningRate = 0.05, MinimumExampleCountPerLeaf = 30,
            NumberOfThreads = 1, ExampleWeightColumnName = "Weight", FeatureFraction = 1, Seed = seed,
        });
        return new RelevanceModel(ml, trainer.Fit(data), featureCount);
    }

    internal static RelevanceModel FitOne(IReadOnlyList<Example> examples, int featureCount, int seed, float l2 = L2)
    {
        var ml = new MLContext(seed);
        var rows = examples.Select(e => new RelevanceModel.Row { Features = e.Features, Label = e.Label, Weight = e.Weight });
        var data = ml.Data.LoadFromEnumerable(rows.ToArray(), RelevanceModel.Schema(featureCount));
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = l2, NumberOfThreads = 1, ExampleWeightColumnName = "Weight",
            }));
        return new RelevanceModel(ml, pipeline.Fit(data), featureCount);
    }
}
