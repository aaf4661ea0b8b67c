namespace Moderation.Core.Profanity;

/// <summary>
/// Combines the lexicon and the classifier into one calibrated score in [0,1].
///
///   no letter in the text             : score = 0 ("@#$%!" is punctuation, never a masked word)
///   hit   : score = b + (1 - b) * p, with b = 0.70 (mild), 0.90 (strong), 0.97 (slur) for the worst hit
///   no hit, an evasion signal         : score = 0.6 * p * min(1, words / 6)
///   no hit, no evasion signal         : score = 0 (the classifier is not consulted)
///
/// The classifier is there for disguises the lexicon cannot see through, so it may only flag a text that
/// carries one (<see cref="EvasionSignals"/>: masks or digits inside words, look-alike letters, spelled-out
/// letters, ...), and then only at p >= 0.84 on six or more words. On plain text with no lexicon hit its
/// probability is noise (0.5-0.6 on dictionary glosses, sentences with "he"/"his"), so it is not asked at all;
/// that also keeps the whole score fast on the common clean comment. With a hit it ranks by severity and p.
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
        if (matches.Count == 0)
        {
            if (_classifier == null || !EvasionSignals.Present(text)) return new ProfanityResult(0, matches);
            double q = ClassifierProbability(text);
            return new ProfanityResult(ClassifierOnlyScale * q * Math.Min(1.0, CountWords(text) / (double)FullWeightWords), matches);
        }
        double p = ClassifierProbability(text);
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
