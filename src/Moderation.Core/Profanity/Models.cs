namespace Moderation.Core.Profanity;

/// <summary>How offensive a lexicon term is. Numeric order matters: higher is worse.</summary>
public enum Severity { Mild = 1, Strong = 2, Slur = 3 }

/// <summary>One lexicon hit. Start/End are UTF-16 offsets into the ORIGINAL text (End exclusive).</summary>
public sealed record ProfanityMatch(int Start, int End, string Text, string Term, Severity Severity, string Category);

/// <summary>Combined score in [0,1] plus the lexicon matches that contributed to it.</summary>
public sealed record ProfanityResult(double Score, IReadOnlyList<ProfanityMatch> Matches)
{
    /// <summary>Verdict threshold used by the evaluation and the CLI.</summary>
    public const double Threshold = 0.5;
    public bool IsProfane => Score >= Threshold;
}

/// <summary>How a term may sit inside a word of the text.</summary>
public enum TermMatchKind { Word = 0, Prefix = 1, Compound = 2 }

/// <summary>A parsed lexicon line.</summary>
/// <param name="Context">Words whose presence nearby marks the literal, innocent sense (bitch: puppies, kennel).</param>
public sealed record LexiconTerm(string Term, Severity Severity, string Category, TermMatchKind Kind, bool IsName, bool IsInfix, string[] Context)
{
    public LexiconTerm(string term, Severity severity, string category, TermMatchKind kind = TermMatchKind.Word)
        : this(term, severity, category, kind, false, false, []) { }
}
