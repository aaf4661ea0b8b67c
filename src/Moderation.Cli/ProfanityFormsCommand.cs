using Moderation.Core.Profanity;

namespace Moderation.Cli;

/// <summary>
/// `eval profanity-forms [--model MODEL.bin] [--no-classifier] [--list N]`: recall on every generated form of every
/// listed term (<see cref="LexiconForms"/>), per family, with the misses.
/// </summary>
public static class ProfanityFormsCommand
{
    public static int Run(string[] args)
    {
        var scorer = ProfanityCommands.BuildScorer(args);
        int list = int.TryParse(ProfanityCommands.Option(args, "--list"), out var n) ? n : 40;
        var misses = new List<GeneratedForm>();
        var byFamily = new SortedDictionary<string, (int Total, int Caught)>(StringComparer.Ordinal);
        foreach (var form in LexiconForms.Generate(scorer.Matcher.Lexicon))
        {
            bool caught = scorer.Score(form.Text).IsProfane;
            var (total, hit) = byFamily.GetValueOrDefault(form.Family);
            byFamily[form.Family] = (total + 1, hit + (caught ? 1 : 0));
            if (!caught) misses.Add(form);
        }
        int all = byFamily.Values.Sum(v => v.Total), got = byFamily.Values.Sum(v => v.Caught);
        Console.WriteLine($"generated forms: {all} texts, recall {(double)got / all:F4} ({all - got} missed)");
        foreach (var (family, (total, caught)) in byFamily) Console.WriteLine($"  {family,-16} {caught,6}/{total,-6} recall {(double)caught / total:F4}");
        foreach (var m in misses.Take(list)) Console.WriteLine($"  miss [{m.Family}] {m.Term}: {System.Text.Json.JsonSerializer.Serialize(m.Text)}");
        return 0;
    }
}
