using System.Text.Json;
using Moderation.Core.Profanity;

namespace Moderation.Cli;

/// <summary>
/// `eval profanity-clean [--wordnet DIR] [--words FILE] [--list N] [--model MODEL.bin] [--no-classifier]`:
/// false-positive rates on Debian's WordNet glosses (`wordnet-base`) and word list (`wamerican`).
/// Install them with `apt-get install -y wordnet-base wamerican`. They are measured here only and never trained on.
/// </summary>
public static class ProfanityCleanCommand
{
    public static int Run(string[] args)
    {
        var wordnet = ProfanityCommands.Option(args, "--wordnet") ?? CleanCorpus.WordNetDir;
        var words = ProfanityCommands.Option(args, "--words") ?? CleanCorpus.WordListPath;
        int list = int.TryParse(ProfanityCommands.Option(args, "--list"), out var n) ? n : 25;
        if (!File.Exists(Path.Combine(wordnet, "data.noun")) || !File.Exists(words))
        {
            Console.Error.WriteLine($"eval profanity-clean: need {wordnet}/data.* and {words}; install with `apt-get install -y wordnet-base wamerican` or pass --wordnet DIR --words FILE");
            return 2;
        }
        var scorer = ProfanityCommands.BuildScorer(args);
        Console.WriteLine($"scorer: lexicon {(scorer.HasClassifier ? "+ classifier" : "only")}; these corpora were never read by training or by any rule");
        Print(CleanCorpus.Evaluate($"WordNet 3.0 glosses ({wordnet})", scorer, CleanCorpus.WordNetGlosses(wordnet)), list);
        Print(CleanCorpus.Evaluate($"wamerican words ({words})", scorer, CleanCorpus.WordList(words)), list);
        return 0;
    }

    private static void Print(CleanCorpusReport r, int list)
    {
        Console.WriteLine($"{r.Name}: items={r.Items} with-listed-word={r.WithListedWord} (flagged {r.FlaggedWithListedWord}) " +
                          $"clean={r.Clean} flagged-clean={r.FlaggedClean.Count} rate={100 * r.FalsePositiveRate:F3}%");
        foreach (var item in r.FlaggedClean.Take(list)) Console.WriteLine($"  FP {JsonSerializer.Serialize(item)}");
        if (r.FlaggedClean.Count > list) Console.WriteLine($"  ... {r.FlaggedClean.Count - list} more (--list N)");
    }
}
