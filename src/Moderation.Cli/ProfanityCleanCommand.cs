using System.Text.Json;
using Moderation.Core.Profanity;

namespace Moderation.Cli;

/// <summary>
/// `eval profanity-clean [--wordnet DIR] [--words FILE] [--list N] [--export DIR] [--model MODEL.bin] [--no-classifier]`:
/// false-positive rates on Debian's WordNet glosses (`wordnet-base`) and word list (`wamerican`).
/// Install them with `apt-get install -y wordnet-base wamerican`. They are measured here only and never trained on.
/// </summary>
public static class ProfanityCleanCommand
{
    private const string WordNetDir = "/usr/share/wordnet", WordListPath = "/usr/share/dict/american-english";

    public static int Run(string[] args)
    {
        var wordnet = ProfanityCommands.Option(args, "--wordnet") ?? WordNetDir;
        var words = ProfanityCommands.Option(args, "--words") ?? WordListPath;
        int list = int.TryParse(ProfanityCommands.Option(args, "--list"), out var n) ? n : 25;
        if (!File.Exists(Path.Combine(wordnet, "data.noun")) || !File.Exists(words))
        {
            Console.Error.WriteLine($"eval profanity-clean: need {wordnet}/data.* and {words}; install with `apt-get install -y wordnet-base wamerican` or pass --wordnet DIR --words FILE");
            return 2;
        }
        var scorer = ProfanityCommands.BuildScorer(args);
        Console.WriteLine($"scorer: lexicon {(scorer.HasClassifier ? "+ classifier" : "only")}; these corpora were never read by training or by any rule");
        var export = ProfanityCommands.Option(args, "--export");
        Print(Run("wordnet", $"WordNet 3.0 glosses ({wordnet})", CleanCorpus.WordNetGlosses(CleanCorpus.WordNetFiles.Select(f => TrainingFiles.Open(Path.Combine(wordnet, f))))), list);
        Print(Run("wamerican", $"wamerican words ({words})", CleanCorpus.WordList(TrainingFiles.Open(words))), list);
        return 0;

        // --export DIR: the clean items as labelled rows plus our verdicts, for shared/peers' run-peers.mjs --extern.
        CleanCorpusReport Run(string file, string name, IEnumerable<string> items)
        {
            if (export == null) return CleanCorpus.Evaluate(name, scorer, items);
            Directory.CreateDirectory(export);
            using var rows = new StreamWriter(Path.Combine(export, file + "-clean.jsonl"));
            using var verdicts = new StreamWriter(Path.Combine(export, file + "-clean.verdicts.jsonl"));
            return CleanCorpus.Evaluate(name, scorer, items, (text, profane) =>
            {
                rows.WriteLine(JsonSerializer.Serialize(new { text, profane = false }));
                verdicts.WriteLine(profane ? "{\"verdict\": true}" : "{\"verdict\": false}");
            });
        }
    }

    private static void Print(CleanCorpusReport r, int list)
    {
        Console.WriteLine($"{r.Name}: items={r.Items} with-listed-word={r.WithListedWord} (flagged {r.FlaggedWithListedWord}) " +
                          $"clean={r.Clean} flagged-clean={r.FlaggedClean.Count} rate={100 * r.FalsePositiveRate:F3}%");
        foreach (var item in r.FlaggedClean.Take(list)) Console.WriteLine($"  FP {JsonSerializer.Serialize(item)}");
        if (r.FlaggedClean.Count > list) Console.WriteLine($"  ... {r.FlaggedClean.Count - list} more (--list N)");
    }
}
