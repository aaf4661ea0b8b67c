namespace Moderation.Core.Profanity;

/// <summary>
/// Combines the lexicon and the classifier into one calibrated score in [0,1].
///
///   p     = classifier probability on the normalised text (0 when no classifier is loaded)
///   hit   : score = b + (1 - b) * p, with b = 0.70 (mild), 0.90 (strong), 0.97 (slur) for the worst hit
///   no hit: score = 0.6 * p * min(1, words / 6)
///
/// So any lexicon hit is over the 0.5 verdict threshold and ranks by severity, while the classifier
/// alone needs p >= 0.84 on a text of six or more words to flag it. Short texts are damped because the
/// lexicon already covers them and the classifier's character n-grams overreact to near-miss spellings
/// of a short text (duck, dock, Kung Fu); longer texts are where it finds what the lexicon misses.
/// </summary>
public sealed class ProfanityScorer
{
    public const double MildBase = 0.70, StrongBase = 0.90, SlurBase = 0.97, ClassifierOnlyScale = 0.6;
    public const int FullWeightWords = 6;
    private static readonly Lazy<ProfanityScorer> Default = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ProfanityMatcher _matcher;
    private readonly ProfanityClassifier? _classifier;

    public ProfanityScorer(ProfanityMatcher matcher, ProfanityClassifier? classifier)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        _matcher = matcher;
        _classifier = classifier;
    }

    public ProfanityMatcher Matcher => _matcher;
    public bool HasClassifier => _classifier != null;

    /// <summary>Shared instance: embedded lexicon plus the embedded model when present.</summary>
    public static ProfanityScorer CreateDefault() => Default.Value;

    private static ProfanityScorer Build()
    {
        ProfanityClassifier? classifier = null;
        try { classifier = ProfanityClassifier.LoadEmbedded(); }
        catch (InvalidOperationException) { /* model not embedded: lexicon only */ }
        return new ProfanityScorer(new ProfanityMatcher(Lexicon.LoadEmbedded()), classifier);
    }

    public ProfanityResult Score(string text)
    {
        if (string.IsNullOrEmpty(text)) return new ProfanityResult(0, []);
        var matches = _matcher.FindMatches(text);
        double p = ClassifierProbability(text);
        if (matches.Count == 0)
            return new ProfanityResult(p == 0 ? 0 : ClassifierOnlyScale * p * Math.Min(1.0, CountWords(text) / (double)FullWeightWords), matches);
        var worst = Severity.Mild;
        foreach (var m in matches) if (m.Severity > worst) worst = m.Severity;
        double b = worst switch { Severity.Slur => SlurBase, Severity.Strong => StrongBase, _ => MildBase };
        return new ProfanityResult(b + (1 - b) * p, matches);
    }

    private static int CountWords(string text)
    {
        int words = 0;
        bool inWord = false;
        foreach (var ch in text)
        {
            bool letter = char.IsLetterOrDigit(ch);
            if (letter && !inWord) words++;
            inWord = letter;
            if (words >= FullWeightWords) break;
        }
        return words;
    }

    private double ClassifierProbability(string text)
    {
        if (_classifier == null) return 0;
        try { return _classifier.PredictProbability(text); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { return 0; } // the lexicon verdict stands
    }
}
