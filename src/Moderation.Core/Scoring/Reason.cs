namespace Moderation.Core.Scoring;

/// <summary>Reason codes of the contract. Codes may be added, never renamed.</summary>
public static class ReasonCodes
{
    public const string Profanity = "profanity";
    public const string OffTopic = "off_topic";
    public const string OffTopicLength = "off_topic_length";
    public const string ReaderReports = "reader_reports";
    /// <summary>The worker gave up scoring the comment; a human has to look.</summary>
    public const string ScoringFailed = "scoring_failed";
    /// <summary>A term on the admin's banned list: hidden and queued.</summary>
    public const string BannedTerm = "banned_term";
    /// <summary>A term on the admin's suspect list: queued, still shown.</summary>
    public const string SuspectTerm = "suspect_term";
    /// <summary>The article is pre-moderated: every comment waits for a moderator.</summary>
    public const string Premoderation = "premoderation";
    /// <summary>A comment a moderator approved or rejected came back with changed text (docs/POLICY.md, "Edits").</summary>
    public const string EditedAfterDecision = "edited_after_decision";
    /// <summary>The site a pull source reads approved the comment while it waited for a moderator here (docs/CONNECTORS.md).</summary>
    public const string ApprovedAtSource = "approved_at_source";

    public static readonly IReadOnlyList<string> All = [Profanity, OffTopic, OffTopicLength, ReaderReports, ScoringFailed, BannedTerm, SuspectTerm, Premoderation, EditedAfterDecision];
}

/// <summary>A matched piece of the original text: UTF-16 offsets, end exclusive.</summary>
public sealed record Span(int Start, int End, string Text, string Term, string Severity);

/// <summary>Why a comment needs a human: a code, its score in [0, 1] and the evidence.</summary>
public sealed record Reason(string Code, double Score, IReadOnlyList<Span>? Spans = null, IReadOnlyDictionary<string, object?>? Detail = null);

/// <summary>The three scores of a comment, each in [0, 1].</summary>
public sealed record Scores(double Profanity, double Relevance, double OffTopicLength);

/// <summary>What the scorer says about one comment: scores, candidate reasons, and the comment's embedding (kept for thread context).</summary>
public sealed record ScoreResult(Scores Scores, IReadOnlyList<Reason> Reasons, float[]? Embedding = null);
