using System.Reflection;

namespace Moderation.Core.Profanity;

/// <summary>
/// The term list (word / prefix / compound, severity, category) and the allow-list of innocent
/// words and phrases, compiled into two tries. Immutable; use <see cref="With"/> to extend.
/// </summary>
public sealed class Lexicon
{
    private const string ResourcePrefix = "Moderation.Core.Lexicon.";
    internal const int LongWord = 8;
    private readonly List<LexiconTerm> _terms, _listed;
    private readonly List<string> _allow;

    internal SymbolTrie Terms { get; } = new();
    internal SymbolTrie Allow { get; } = new();
    public IReadOnlyList<LexiconTerm> Entries => _terms;
    public IReadOnlyList<string> AllowList => _allow;

    private Lexicon(List<LexiconTerm> terms, List<string> allow)
    {
        _listed = terms;
        _terms = [];
        _allow = [];
        var symbols = new List<int>();
        foreach (var a in allow)
        {
            var norm = NormaliseTerm(a);
            if (!SymbolTrie.TryEncode(norm, symbols)) continue;
            Allow.Add(symbols, _allow.Count, compound: true);
            _allow.Add(norm);
        }
        foreach (var (t, generated) in WithInflections(terms))
        {
            var norm = NormaliseTerm(t.Term);
            if (!SymbolTrie.TryEncode(norm, symbols)) continue;
            // Long single words (8+ letters: shitshow, bullshit) are distinctive enough to count inside
            // a longer word too ("totalshitshow"); short ones would hit innocent words.
            var entry = t with { Term = norm };
            // Generated forms stay whole words: "cummiest" must not be found inside "scummiest".
            if (norm.Length >= LongWord && !generated && !norm.Contains(' ') && t.Kind != TermMatchKind.Compound) entry = entry with { Kind = TermMatchKind.Compound };
            Terms.Add(symbols, _terms.Count, entry.Kind == TermMatchKind.Compound);
            _terms.Add(entry);
        }
        Terms.BuildPairs();
    }

    /// <summary>
    /// The listed terms, then the regular forms (<see cref="Inflections"/>) of each term that are not
    /// listed already and are not an innocent word on the allow-list (cocky, titter, tardy, butter): every
    /// form of a listed word is caught without writing each one into terms.tsv.
    /// </summary>
    private IEnumerable<(LexiconTerm Term, bool Generated)> WithInflections(List<LexiconTerm> terms)
    {
        var seen = terms.Select(t => NormaliseTerm(t.Term)).ToHashSet(StringComparer.Ordinal);
        var allowWords = _allow.Where(a => !a.Contains(' ')).ToList();
        foreach (var t in terms) yield return (t, false);
        foreach (var t in terms)
        {
            // Prefix and compound terms match most forms already, but not a doubled final consonant
            // (twat -> twatting, slut -> slutty): two of a consonant is spelling, not elongation.
            foreach (var form in Inflections.Of(NormaliseTerm(t.Term)))
                if (seen.Add(form) && !allowWords.Any(a => form.Contains(a, StringComparison.Ordinal)))
                    yield return (t with { Term = form, Kind = TermMatchKind.Word }, true);
        }
    }

    /// <summary>The lexicon shipped inside Moderation.Core (terms.tsv and allow.txt).</summary>
    public static Lexicon LoadEmbedded()
    {
        var asm = typeof(Lexicon).Assembly;
        using var terms = OpenResource(asm, "terms.tsv");
        using var allow = OpenResource(asm, "allow.txt");
        return Load(terms, allow);
    }

    /// <summary>The terms as listed (before inflections were added).</summary>
    public IReadOnlyList<LexiconTerm> Listed => _listed;

    public static Lexicon Load(TextReader terms, TextReader allowList) => new(ParseTerms(terms), ParseAllow(allowList));

    /// <summary>A new lexicon with extra terms and allow-list entries appended (existing entries win on duplicates).</summary>
    public Lexicon With(IEnumerable<LexiconTerm>? extraTerms = null, IEnumerable<string>? extraAllow = null) =>
        new([.. _listed, .. extraTerms ?? []], [.. _allow, .. extraAllow ?? []]);

    public static List<LexiconTerm> ParseTerms(TextReader reader)
    {
        var list = new List<LexiconTerm>();
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var p = line.Split('\t');
            if (p.Length < 2 || p[0].Trim().Length == 0) continue;
            var severity = p[1].Trim().ToLowerInvariant() switch { "slur" => Severity.Slur, "strong" => Severity.Strong, _ => Severity.Mild };
            var category = p.Length > 2 && p[2].Trim().Length > 0 ? p[2].Trim() : "general";
            var kind = (p.Length > 3 ? p[3].Trim().ToLowerInvariant() : "") switch { "prefix" => TermMatchKind.Prefix, "compound" => TermMatchKind.Compound, _ => TermMatchKind.Word };
            var flags = p.Length > 4 ? p[4] : "";
            var context = p.Length > 5 ? p[5].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.ToLowerInvariant()).ToArray() : [];
            list.Add(new LexiconTerm(p[0].Trim(), severity, category, kind, flags.Contains("name"), flags.Contains("infix"), context));
        }
        return list;
    }

    public static List<string> ParseAllow(TextReader reader)
    {
        var list = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            line = line.Trim();
            if (line.Length > 0 && line[0] != '#') list.Add(line);
        }
        return list;
    }

    /// <summary>Lower-case, letters only, single spaces between words ("Son-of-a-Bitch" -> "son of a bitch").</summary>
    internal static string NormaliseTerm(string term)
    {
        var sb = new System.Text.StringBuilder(term.Length);
        foreach (var ch in term.ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z') sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().TrimEnd();
    }

    private static StreamReader OpenResource(Assembly asm, string file)
    {
        var stream = asm.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"Embedded resource {ResourcePrefix + file} not found");
        return new StreamReader(stream);
    }
}
