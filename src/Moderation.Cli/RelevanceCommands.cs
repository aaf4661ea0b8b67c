using System.Diagnostics;
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
            int seed = int.Parse(o.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var background = Path.Combine(output, BackgroundFrequencies.FileName);
            BackgroundFrequencies.Write(TrainingData.Load(data), background);
            Console.WriteLine($"wrote {background}");
            if (o.ContainsKey("background-only")) return 0;
            var sw = Stopwatch.StartNew();
            var report = RelevanceTraining.Train(data, output, seed, semantic: !o.ContainsKey("lexical-only"), log: Console.Out);
            Console.WriteLine($"articles: {report.Articles}; held back: {string.Join(", ", report.TestArticleIds)}");
            Console.WriteLine($"training rows: {report.TrainExamples} (of which {report.NegativeSamples} negative samples, weight {RelevanceTraining.NegativeWeight})");
            Console.WriteLine($"trainers: semantic={(report.SemanticTrainer == "" ? "-" : report.SemanticTrainer)}, lexical={report.LexicalTrainer}");
            foreach (var m in report.HeldBack) Console.WriteLine(m);
            foreach (var f in report.ModelFiles) Console.WriteLine($"wrote {f}");
            Console.WriteLine($"done in {sw.Elapsed.TotalSeconds:F1}s");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"train relevance: {e.Message}");
            return 1;
        }
    }

    public static int Eval(string[] args)
    {
        try
        {
            var o = Parse(args);
            bool folderGiven = o.GetValueOrDefault("data") is not null;
            var data = o.GetValueOrDefault("data") ?? Path.Combine(RepoRoot(), "training-data", "relevance");
            int seed = int.Parse(o.GetValueOrDefault("seed") ?? "42", System.Globalization.CultureInfo.InvariantCulture);
            var articles = TrainingData.Load(data, Console.Error);
            var subset = folderGiven && !o.ContainsKey("held-back") ? articles : TrainingData.Split(articles, seed).Test;
            var df = new InMemoryDocumentFrequencies();
            foreach (var a in articles) df.Add(TextAnalysis.TermCounts(a.Title + "\n\n" + a.Body).Keys);

            RelevanceModel? sem = null, lex = null;
            if (o.TryGetValue("models", out var dir) && dir is not null)
            {
                sem = LoadFile(Path.Combine(dir, RelevanceTraining.SemanticFile), RelevanceFeatures.SemanticCount);
                lex = LoadFile(Path.Combine(dir, RelevanceTraining.LexicalFile), RelevanceFeatures.LexicalCount);
            }
            var options = new RelevanceOptions();
            Console.WriteLine($"{subset.Count} articles, {subset.Sum(a => a.Comments.Count)} hand-labelled comments");
            if (!o.ContainsKey("lexical-only"))
            {
                using var embedder = SentenceEmbedder.CreateDefault();
                var scorer = sem is null && lex is null ? RelevanceScorer.CreateDefault(embedder, options) : new RelevanceScorer(embedder, sem, lex, options);
                var sw = Stopwatch.StartNew();
                Console.WriteLine(RelevanceEvaluation.Evaluate("with embeddings", subset, df, scorer, options) + $"  [{sw.Elapsed.TotalSeconds:F1}s]");
                // --gate 0.2,0.3,0.4: the worker's embedding gate (docs/PERFORMANCE.md): embed only where the lexical score is not decisive.
                foreach (var m in (o.GetValueOrDefault("gate") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var gateOptions = new RelevanceOptions { EmbeddingGateMargin = double.Parse(m, System.Globalization.CultureInfo.InvariantCulture) };
                    var gatedScorer = sem is null && lex is null ? RelevanceScorer.CreateDefault(embedder, gateOptions) : new RelevanceScorer(embedder, sem, lex, gateOptions);
                    Console.WriteLine(RelevanceEvaluation.Evaluate("gated", subset, df, gatedScorer, gateOptions));
                }
            }
            var lexical = sem is null && lex is null ? RelevanceScorer.CreateDefault(null, options) : new RelevanceScorer(null, sem, lex, options);
            Console.WriteLine(RelevanceEvaluation.Evaluate("lexical only", subset, df, lexical, options));
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"eval relevance: {e.Message}");
            return 1;
        }
    }

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
