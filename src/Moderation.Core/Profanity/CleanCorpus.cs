namespace Moderation.Core.Profanity;

/// <summary>What a clean-corpus run found: how many items held a listed word, and the flagged items that did not.</summary>
public sealed record CleanCorpusReport(string Name, int Items, int WithListedWord, int FlaggedWithListedWord, IReadOnlyList<string> FlaggedClean)
{
    public int Clean => Items - WithListedWord;
    public double FalsePositiveRate => Clean == 0 ? 0 : (double)FlaggedClean.Count / Clean;
}

/// <summary>
/// False positives on large clean text nobody here wrote: WordNet 3.0 glosses (Debian `wordnet-base`) and the
/// `wamerican` word list. These corpora measure only: no rule, threshold or training step may read them.
/// An item "holds a listed word" when one of its plain words (or word sequences) is spelled exactly like a
/// lexicon term; that judgement uses only the term list, not the matcher under test, so the two cannot agree
/// by construction. Items holding a listed word are counted apart and left out of the false-positive rate.
/// </summary>
public static class CleanCorpus
{
    /// <summary>The WordNet data files whose glosses are read, in this order (the CLI opens them in its folder).</summary>
    public static readonly string[] WordNetFiles = ["data.noun", "data.verb", "data.adj", "data.adv"];

    /// <summary>Every gloss (the text after " | ") of the WordNet data files handed in; licence lines are skipped.</summary>
    public static IEnumerable<string> WordNetGlosses(IEnumerable<TrainingFile> dataFiles)
    {
        foreach (var file in dataFiles)
            foreach (var line in file.Lines())
            {
                if (line.StartsWith("  ", StringComparison.Ordinal)) continue; // licence header
                int bar = line.IndexOf(" | ", StringComparison.Ordinal);
                if (bar >= 0) yield return line[(bar + 3)..].Trim();
            }
    }

    /// <summary>One word per line (possessives included, as the list ships them).</summary>
    public static IEnumerable<string> WordList(TrainingFile file) => file.Lines().Where(l => l.Length > 0);

    /// <param name="onClean">Called with each clean item (no listed word) and its verdict, e.g. to hand them to other filters.</param>
    public static CleanCorpusReport Evaluate(string name, ProfanityScorer scorer, IEnumerable<string> items, Action<string, bool>? onClean = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        var listed = new ListedWords(scorer.Matcher.Lexicon);
        int total = 0, withListed = 0, flaggedListed = 0;
        var flagged = new List<string>();
        foreach (var item in items)
        {
            total++;
            bool profane = scorer.Score(item).IsProfane;
            if (listed.Contains(item)) { withListed++; if (profane) flaggedListed++; }
            else
            {
                if (profane) flagged.Add(item);
                onClean?.Invoke(item, profane);
            }
        }
        return new CleanCorpusReport(name, total, withListed, flaggedListed, flagged);
    }

    /// <summary>Exact plain spellings of the lexicon's terms (phrases as word sequences).</summary>
    private sealed class ListedWords
    {
        private readonly HashSet<string> _terms;
        private readonly int _maxWords;

        public ListedWords(Lexicon lexicon)
        {
            _terms = lexicon.Entries.Select(e => e.Term).ToHashSet(StringComparer.Ordinal);
            _maxWords = lexicon.Entries.Max(e => e.Term.Count(c => c == ' ') + 1);
        }

        public bool Contains(string text)
        {
            // "Fuck's" and "fucks" are the same listed word for this purpose: strip a possessive 's.
            var words = Lexicon.NormaliseTerm(text.Replace("'s", "", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
                for (int n = 1; n <= _maxWords && i + n <= words.Length; n++)
                    if (_terms.Contains(string.Join(' ', words, i, n))) return true;
            return false;
        }
    }
}
