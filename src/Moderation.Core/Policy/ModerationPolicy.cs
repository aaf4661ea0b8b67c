using Moderation.Core.Scoring;

namespace Moderation.Core.Policy;

/// <summary>The outcome of the policy for one scored comment.</summary>
public sealed record Verdict(string Status, IReadOnlyList<Reason> Reasons, double Priority)
{
    public bool Queued => Status is CommentStatus.Pending or CommentStatus.Hidden;
}

/// <summary>Turns scores and reasons into a status and a queue priority.</summary>
public sealed class ModerationPolicy(PolicyOptions options)
{
    /// <summary>
    /// How much each reason weighs in the queue order: profanity first, then what readers
    /// reported, then the long off-topic rant, then the short off-topic quip.
    /// </summary>
    static readonly Dictionary<string, double> Weights = new()
    {
        [ReasonCodes.BannedTerm] = 1.0,
        [ReasonCodes.Profanity] = 1.0,
        [ReasonCodes.SuspectTerm] = 0.8,
        [ReasonCodes.Premoderation] = 0.4,
        [ReasonCodes.ReaderReports] = 0.9,
        [ReasonCodes.EditedAfterDecision] = 0.9,
        [ReasonCodes.OffTopicLength] = 0.7,
        [ReasonCodes.ScoringFailed] = 0.6,
        [ReasonCodes.OffTopic] = 0.5,
    };

    /// <summary>
    /// The verdict for a comment whose text a moderator already decided (<paramref name="decidedAs"/>: approved or
    /// rejected) and which came back edited. An edit never undoes a moderator:
    /// <list type="bullet">
    /// <item>rejected: hidden and queued again with <c>edited_after_decision</c>, whatever the new text scores;</item>
    /// <item>approved: the new text is judged as any other; if it would be flagged it is queued with
    /// <c>edited_after_decision</c> beside its own reasons, hidden where those reasons hide (or where the admin set
    /// <c>edited_after_decision</c>'s HideAt to 1 or less); if it scores clean it is published.</item>
    /// </list>
    /// A null <paramref name="decidedAs"/> (never decided) is <see cref="Decide(IReadOnlyList{Reason})"/>.
    /// </summary>
    public Verdict Decide(IReadOnlyList<Reason> candidates, string? decidedAs)
    {
        var scored = Decide(candidates);
        if (!CommentStatus.IsDecided(decidedAs) || decidedAs == CommentStatus.Approved && !scored.Queued) return scored;
        var edited = EditedAfter(decidedAs!);
        var reasons = scored.Reasons.Prepend(edited).ToList();
        var hide = decidedAs == CommentStatus.Rejected || scored.Status == CommentStatus.Hidden
            || edited.Score >= options.For(ReasonCodes.EditedAfterDecision).HideAt;
        return new Verdict(hide ? CommentStatus.Hidden : CommentStatus.Pending, reasons, Priority(reasons, 0, hide, 0));
    }

    /// <summary>
    /// The worker gave up scoring a comment after <paramref name="attempts"/> tries: hidden and queued with scoring_failed,
    /// and with edited_after_decision too when the text is an edit of a decided comment (the moderator still has to look).
    /// </summary>
    public static Verdict ScoringFailed(long attempts, string error, string? decidedAs)
    {
        List<Reason> reasons = [new(ReasonCodes.ScoringFailed, 1.0, null, new Dictionary<string, object?> { ["attempts"] = attempts, ["error"] = error })];
        if (CommentStatus.IsDecided(decidedAs))
            reasons.Insert(0, EditedAfter(decidedAs!));
        return new Verdict(CommentStatus.Hidden, reasons, Priority(reasons, 0, hidden: true, 0));
    }

    static Reason EditedAfter(string decision) =>
        new(ReasonCodes.EditedAfterDecision, 1.0, null, new Dictionary<string, object?> { ["decision"] = decision });

    /// <summary>A profanity reason whose every matched word is milder than the site lets flag (see
    /// <see cref="PolicyOptions.ProfanityMinSeverity"/>).</summary>
    bool OnlyMilderWords(Reason r) =>
        r.Code == ReasonCodes.Profanity && r.Spans is { Count: > 0 } spans
        && spans.All(s => ProfanitySeverities.Rank(s.Severity) < ProfanitySeverities.Rank(options.ProfanityMinSeverity));

    public Verdict Decide(IReadOnlyList<Reason> candidates)
    {
        var kept = candidates.Where(r => r.Score >= options.For(r.Code).FlagAt && !OnlyMilderWords(r)).ToList();
        if (kept.Count == 0) return new Verdict(CommentStatus.Published, [], 0);
        var hide = kept.Any(r => r.Score >= options.For(r.Code).HideAt);
        var status = hide ? CommentStatus.Hidden : CommentStatus.Pending;
        return new Verdict(status, kept, Priority(kept, 0, hide, 0));
    }

    /// <summary>
    /// priority = max over reasons of (weight × score) + 0.05 × min(report weight, 10)
    ///          + 0.25 if hidden + 0.2 × the author's recent rejection rate, rounded to 0.01.
    /// Hidden comments come first because a reader's comment is held back until someone looks.
    /// The rounding makes near-equal items tie, and ties go to the one waiting longest (the queue
    /// sorts by priority, then by flagged time): that is how age counts without a clock in the index.
    /// </summary>
    public static double Priority(IEnumerable<Reason> reasons, double reportWeight, bool hidden, double authorRejectionRate)
    {
        var top = reasons.Select(r => Weights.GetValueOrDefault(r.Code, 0.5) * r.Score).DefaultIfEmpty(0).Max();
        return Math.Round(top + 0.05 * Math.Min(reportWeight, 10) + (hidden ? 0.25 : 0) + 0.2 * Math.Clamp(authorRejectionRate, 0, 1), 2);
    }
}
