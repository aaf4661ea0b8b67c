using Moderation.Core.Profanity;

namespace Moderation.Cli;

/// <summary>
/// `train profanity [--data DIR] [--out MODEL.bin] [--seed N] [--word-bits N] [--l2 X] [--norm-all]` and
/// `eval profanity (FILE.jsonl | --held-back) [--verdicts OUT.jsonl] [--model MODEL.bin] [--no-classifier] [--quiet]`.
/// </summary>
public static class ProfanityCommands
{
    private const string ModelRelative = "src/Moderation.Core/Profanity/Model/profanity-classifier.bin";

    public static int Train(string[] args)
    {
        var root = FindRepoRoot();
        var data = Option(args, "--data") ?? (root == null ? null : Path.Combine(root, "training-data", "profanity"));
        var output = Option(args, "--out") ?? (root == null ? null : Path.Combine(root, ModelRelative));
        int seed = int.TryParse(Option(args, "--seed"), out var s) ? s : 42;
        var defaults = new ProfanityTrainingOptions();
        var options = defaults with
        {
            WordBits = int.TryParse(Option(args, "--word-bits"), out var bits) ? bits : defaults.WordBits,
            L2 = float.TryParse(Option(args, "--l2"), System.Globalization.CultureInfo.InvariantCulture, out var l2) ? l2 : defaults.L2,
            NormOverKnownFeatures = !args.Contains("--norm-all"),
        };
        if (options.WordBits is < 10 or > 24)
        {
            Console.Error.WriteLine("train profanity: --word-bits must be 10..24");
            return 2;
        }
        if (data == null || output == null || !Directory.Exists(data))
        {
            Console.Error.WriteLine("train profanity: training data folder not found (run inside the repo or pass --data DIR --out MODEL.bin)");
            return 2;
        }
        var rows = new List<LabelledText>();
        foreach (var file in TrainingFiles.Folder(data, "*.jsonl"))
        {
            var part = LabelledText.ReadJsonl(file).ToList();
            Console.WriteLine($"{Path.GetFileName(file.Name)}: {part.Count} rows ({part.Count(r => r.Profane)} profane)");
            rows.AddRange(part);
        }
        try
        {
            var report = ProfanityTraining.Train(rows, output, options, seed, Console.Out);
            Console.WriteLine($"held-back split: precision {report.Precision:F3}, recall {report.Recall:F3}, F1 {report.F1:F3}, AUC {report.Auc:F3}");
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"train profanity: {ex.Message}");
            return 1;
        }
    }

    public static int Eval(string[] args)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a));
        bool heldBack = args.Contains("--held-back");
        if (!heldBack && (file == null || !File.Exists(file)))
        {
            Console.Error.WriteLine("usage: eval profanity (FILE.jsonl | --held-back) [--verdicts OUT.jsonl] [--model MODEL.bin] [--no-classifier] [--quiet]");
            return 2;
        }
        var scorer = BuildScorer(args);
        EvaluationReport report;
        if (heldBack)
        {
            // The 20 % split `train profanity` holds back (same seed): never trained on, but the lexicon and its
            // context rules were written while reading every training row, so for the whole scorer it is a development figure.
            var root = FindRepoRoot();
            var data = Option(args, "--data") ?? (root == null ? null : Path.Combine(root, "training-data", "profanity"));
            if (data == null || !Directory.Exists(data)) { Console.Error.WriteLine("eval profanity --held-back: training data folder not found"); return 2; }
            var rows = TrainingFiles.Folder(data, "*.jsonl").SelectMany(LabelledText.ReadJsonl);
            var test = ProfanityTraining.Split(rows, int.TryParse(Option(args, "--seed"), out var s) ? s : 42).Test;
            Console.WriteLine($"held-back split of {data}: {test.Count} rows");
            report = ProfanityEvaluation.Evaluate(scorer, test);
        }
        else report = ProfanityEvaluation.EvaluateFile(scorer, TrainingFiles.Open(file!));
        ProfanityEvaluation.Print(report, Console.Out, listErrors: !args.Contains("--quiet"));
        var verdicts = Option(args, "--verdicts");
        if (verdicts != null)
        {
            using var w = new StreamWriter(verdicts);
            ProfanityEvaluation.WriteVerdicts(report, w);
        }
        return 0;
    }

    internal static ProfanityScorer BuildScorer(string[] args)
    {
        if (args.Contains("--no-classifier")) return new ProfanityScorer(new ProfanityMatcher(Lexicon.LoadEmbedded()), null);
        var model = Option(args, "--model");
        if (model == null) return ProfanityScorer.CreateDefault();
        using var s = File.OpenRead(model);
        return new ProfanityScorer(new ProfanityMatcher(Lexicon.LoadEmbedded()), ProfanityClassifier.Load(s));
    }

    private static readonly string[] ValueOptions = ["--data", "--out", "--seed", "--word-bits", "--l2", "--verdicts", "--model"];

    private static bool IsOptionValue(string[] args, string a)
    {
        int i = Array.IndexOf(args, a);
        return i > 0 && ValueOptions.Contains(args[i - 1]);
    }

    internal static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln"))) return dir.FullName;
        return null;
    }
}
