using System.Diagnostics;
using Moderation.Core;
using Moderation.Core.Relevance;
using Moderation.Core.Relevance.Training;

namespace Moderation.Cli;

/// <summary>
/// `train relevance [--data DIR] [--out DIR] [--seed N] [--lexical-only] [--background-only]` and
/// `eval relevance [--data DIR [--held-back]] [--models DIR] [--seed N] [--lexical-only] [--gate M1,M2,…]`.
/// Defaults: data = &lt;repo&gt;/training-data/relevance, out = &lt;repo&gt;/src/Moderation.Core/Relevance/Model,
/// where &lt;repo&gt; is the nearest folder upwards holding Moderation.sln. Eval without --data scores the
/// held-back split of the repo's data (the numbers `train` printed); with --data it scores every article
/// in that folder, or only its held-back split with --held-back. Models default to the ones embedded in
/// Moderation.Core; --models DIR loads relevance-*.zip from a folder instead.
/// </summary>
public static class RelevanceCommands
{
    public static int Train(string[] args)
    {
        try
        {
            var o = Parse(args);
            var data = o.GetValueOrDefault("data") ?? Path.Combine(RepoRoot(), "training-data", "relevance");
            var output = o.GetValueOrDefault("out") ?? Path.Combine(RepoRoot(), "src", "Moderation.Core", "Relevance", "Model");
            Directory.CreateDirectory(output);   // --out of a new folder: the background frequencies are written first
            int seed = int.Parse(o.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var background = Path.Combine(output, BackgroundFrequencies.FileName);
            var articleFiles = TrainingFiles.Folder(data, "*.json");
            BackgroundFrequencies.Write(TrainingData.Load(articleFiles), background);
            Console.WriteLine($"wrote {background}");
            if (o.ContainsKey("background-only")) return 0;
            if (o.ContainsKey("explore")) { RelevanceExploration.Run(articleFiles, Forum(o), seed, Console.Out); return 0; }
            var sw = Stopwatch.StartNew();
            var report = RelevanceTraining.Train(articleFiles, output, seed, semantic: !o.ContainsKey("lexical-only"), log: Console.Out,
                forum: Forum(o));
            Console.WriteLine($"own articles: {report.Articles}; held back: {string.Join(", ", report.TestArticleIds)}");
            Console.WriteLine($"own training rows: {report.TrainExamples} (of which {report.NegativeSamples} negative samples, weight {RelevanceTraining.NegativeWeight}); forum training rows: {report.ForumTrainRows}");
            foreach (var m in report.HeldBack) Console.WriteLine(m);
            foreach (var f in report.ModelFiles) Console.WriteLine($"wrote {f}");
            Console.WriteLine($"done in {sw.Elapsed.TotalSeconds:F1}s. Rebuild Moderation.Core to embed the new models; set the policy defaults " +
                              $"(PolicyOptions) to off_topic {report.Calibration.DefaultOffTopicFlagAt:0.00}, off_topic_length {report.Calibration.OffTopicLengthFlagAt:0.00}.");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"train relevance: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Prints the guard of docs/RELEVANCE.md for our own held-back articles and the REAL forum held-back threads
    /// (and, with --calibration, the forum calibration split, a development set): AUC of the shipped score and of each
    /// feature, flag precision/recall/F1 at the service's thresholds by length and shared vocabulary.
    /// </summary>
    public static int Eval(string[] args)
    {
        try
        {
            var o = Parse(args);
            bool folderGiven = o.GetValueOrDefault("data") is not null;
            var data = o.GetValueOrDefault("data") ?? Path.Combine(RepoRoot(), "training-data", "relevance");
            int seed = int.Parse(o.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var articles = TrainingData.Load(TrainingFiles.Folder(data, "*.json"), Console.Error);
            var subset = folderGiven && !o.ContainsKey("held-back") ? articles : TrainingData.Split(articles, seed).Test;
            var ownDf = RelevanceTraining.Frequencies(articles);
            var forum = RelevanceTraining.LoadForum(Forum(o), Console.Out);
            var forumDf = RelevanceTraining.ForumFrequencies(forum, ownDf);

            RelevanceModel? sem = null, lex = null;
            var calibration = RelevanceCalibration.Embedded;
            if (o.TryGetValue("models", out var dir) && dir is not null)
            {
                using (var json = File.OpenRead(Path.Combine(dir, RelevanceCalibration.FileName))) calibration = RelevanceCalibration.Load(json);
                sem = LoadFile(Path.Combine(dir, RelevanceTraining.SemanticFile), RelevanceFeatures.SemanticCount)?.WithCalibration(calibration.Semantic)
                    .WithTrees(LoadFile(Path.Combine(dir, RelevanceTraining.SemanticTreesFile), RelevanceFeatures.ScalarCount));
                lex = LoadFile(Path.Combine(dir, RelevanceTraining.LexicalFile), RelevanceFeatures.LexicalCount)?.WithCalibration(calibration.Lexical);
            }
            var flags = new FlagThresholds(calibration.DefaultOffTopicFlagAt, calibration.OffTopicLengthFlagAt);
            Console.WriteLine($"calibration: {calibration.ChosenOn}");
            Console.WriteLine($"own data: {subset.Count} articles ({(folderGiven && !o.ContainsKey("held-back") ? "every article of --data" : "the held-back split: no training row, rule or threshold came from them")})");
            var sets = new List<(string Name, IReadOnlyList<TrainingArticle> Threads, IDocumentFrequencies Df)> { ("own", subset, ownDf) };
            if (forum.Count > 0)
            {
                sets.Add(("REAL forum held-back threads (touched by no training, calibration or threshold)", RelevanceTraining.Part(forum, ForumSplit.HeldBack), forumDf));
                if (o.ContainsKey("calibration"))
                    sets.Add(("forum calibration threads (DEVELOPMENT set: Platt and thresholds were fitted here)", RelevanceTraining.Part(forum, ForumSplit.Calibration), forumDf));
            }

            // --float32: the package's float graph instead of the int8 one the service runs (the models are trained on int8).
            using var embedder = o.ContainsKey("lexical-only") ? null
                : SentenceEmbedder.CreateDefault(precision: o.ContainsKey("float32") ? EmbeddingPrecision.Float32 : EmbeddingPrecision.Int8);
            // The embedded models unless --models named a folder.
            RelevanceScorer Scorer(SentenceEmbedder? e, double gate = 1.0)
            {
                var options = new RelevanceOptions { EmbeddingGateMargin = gate };
                return sem is null && lex is null ? RelevanceScorer.CreateDefault(e, options) : new RelevanceScorer(e, sem, lex, options);
            }
            var scorers = new List<(string Name, RelevanceScorer Scorer)>();
            if (embedder is not null)
            {
                scorers.Add(("as the service scores (embeddings, gate)", Scorer(embedder, RelevanceOptions.ServiceEmbeddingGate)));
                // --gate 0.2,0.3: the same with other embedding gates (Moderation:Relevance:EmbeddingGate), for the speed/quality trade.
                foreach (var m in (o.GetValueOrDefault("gate") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                    scorers.Add(($"gate {m}", Scorer(embedder, double.Parse(m, System.Globalization.CultureInfo.InvariantCulture))));
                if (o.ContainsKey("ungated")) scorers.Add(("every comment embedded", Scorer(embedder)));
            }
            if (!o.ContainsKey("no-lexical")) scorers.Add(("lexical only", Scorer(null)));
            foreach (var (setName, threads, df) in sets)
                foreach (var (name, scorer) in scorers)
                {
                    var sw = Stopwatch.StartNew();
                    var rows = RelevanceEvaluation.Score(threads, df, scorer);
                    RelevanceReport.Print($"{setName}, {name} [{sw.Elapsed.TotalSeconds:F0}s]", rows, flags, Console.Out);
                }
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"eval relevance: {e.Message}");
            return 1;
        }
    }

    /// <summary>The real forum replies (<see cref="ForumData"/>), read at training and evaluation time and never copied
    /// into the repository.</summary>
    private const string ForumRelativePath = "../shared/data/relevance/semeval2016-task3-train-part2.jsonl";

    /// <summary>--forum FILE, else the shared copy beside the repository (../shared/data/relevance/…); null when absent.</summary>
    private static TrainingFile? Forum(Dictionary<string, string?> o) => TrainingFiles.Optional(
        o.GetValueOrDefault("forum") ?? Path.GetFullPath(Path.Combine(RepoRoot(), ForumRelativePath)), Console.Out);

    private static RelevanceModel? LoadFile(string path, int features)
    {
        if (!File.Exists(path)) return null;
        using var s = File.OpenRead(path);
        return RelevanceModel.Load(s, features);
    }

    private static Dictionary<string, string?> Parse(string[] args)
    {
        var o = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;   // e.g. the "relevance" verb itself
            var key = args[i][2..];
            bool flag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            o[key] = flag ? null : args[++i];
        }
        return o;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        throw new InvalidOperationException("Moderation.sln not found above the current directory; pass --data and --out.");
    }
}
