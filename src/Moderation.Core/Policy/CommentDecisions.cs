using Moderation.Core.Scoring;

namespace Moderation.Core.Policy;

/// <summary>
/// Every status, hide and priority decision the store applies, one pure call per situation (docs/POLICY.md, "Where
/// decisions are made"). Storage reads the inputs (a verdict, a report tally, an author's rejection rate, the queued
/// reasons) in the queries it already runs, calls one of these, and writes the rows the answer names: it decides
/// nothing itself, so a second storage engine cannot decide differently. Each answer is a <see cref="Verdict"/>:
/// the status to write, the reasons the queue shows, and the queue priority (meaningful when <see cref="Verdict.Queued"/>).
/// </summary>
public static class CommentDecisions
{
    /// <summary>
    /// The worker scored a comment: <paramref name="scored"/> is the policy's verdict on its text
    /// (<see cref="ModerationPolicy.Decide(IReadOnlyList{Reason}, string?)"/>); reports that came in before it was
    /// scored apply now. Enough report weight hides it; any report queues a comment that would be published (it
    /// stays shown); otherwise the text's verdict stands. A queued comment's priority weighs the reports and the
    /// author's recent rejection rate, which the text's verdict alone did not know.
    /// </summary>
    public static Verdict Scored(Verdict scored, ReportTally tally, ReportPolicy reports, double authorRejectionRate)
    {
        var reasons = reports.Merge(scored.Reasons, tally);
        var status = reports.Hides(tally) ? CommentStatus.Hidden
            : tally.Count > 0 && scored.Status == CommentStatus.Published ? CommentStatus.Pending
            : scored.Status;
        var hidden = status == CommentStatus.Hidden;
        var queued = hidden || status == CommentStatus.Pending;
        return new Verdict(status, reasons, queued ? ModerationPolicy.Priority(reasons, tally.Weight, hidden, authorRejectionRate) : 0);
    }

    /// <summary>
    /// Do reports act on a comment in this status? Only on one shown or queued (published, pending, hidden): a comment
    /// not scored yet gets its reports counted when it is scored (<see cref="Scored"/>), and a decided one keeps its
    /// moderator's decision (reports are recorded, nothing changes), so a brigade cannot overturn it. Storage asks this
    /// before it weighs the reports, so a report that changes nothing costs no tally.
    /// </summary>
    public static bool ReportsActOn(string status) => status is CommentStatus.Published or CommentStatus.Pending or CommentStatus.Hidden;

    /// <summary>
    /// A report was added to a comment in <paramref name="status"/> whose reports now weigh <paramref name="tally"/>
    /// (this one included): the comment is queued (still shown), hidden once the weight reaches the threshold, and
    /// never un-hidden by a report. <paramref name="queuedReasons"/> are the reasons its queue entry holds (none when it
    /// has none); the reader_reports reason among them is replaced by the current one. Null when reports do not act on
    /// the status (<see cref="ReportsActOn"/>): the status stays and the queue is left alone.
    /// </summary>
    public static Verdict? Reported(string status, ReportTally tally, IEnumerable<Reason> queuedReasons, ReportPolicy reports, double authorRejectionRate)
    {
        if (!ReportsActOn(status)) return null;
        var hidden = status == CommentStatus.Hidden || reports.Hides(tally);
        var reasons = reports.Merge(queuedReasons, tally);
        return new Verdict(hidden ? CommentStatus.Hidden : CommentStatus.Pending, reasons,
            ModerationPolicy.Priority(reasons, tally.Weight, hidden, authorRejectionRate));
    }

    /// <summary>
    /// The worker failed to score a comment for the <paramref name="attempts"/>-th time. Null while it may try again
    /// (fewer than <paramref name="maxAttempts"/>; the comment stays received); then the verdict
    /// <see cref="ModerationPolicy.ScoringFailed"/> gives: hidden and queued with scoring_failed, so a human sees it and
    /// the worker stops retrying it.
    /// </summary>
    public static Verdict? ScoringFailed(long attempts, int maxAttempts, string error, string? decidedAs) =>
        attempts >= maxAttempts ? ModerationPolicy.ScoringFailed(attempts, error, decidedAs) : null;

    /// <summary>
    /// A moderator decided a comment (one, or in bulk): <c>approve</c> makes it approved, <c>reject</c> rejected, whatever
    /// it was. The API takes no other action (QueueApi.Actions); anything else is a programming error, not a rejection.
    /// </summary>
    public static string ByModerator(string action) => action switch
    {
        "approve" => CommentStatus.Approved,
        "reject" => CommentStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "a moderator approves or rejects"),
    };

    /// <summary>
    /// The priority of a pending queue entry again, after its author's rejection rate changed (a moderator decided
    /// another of their comments): same formula and inputs as when it was flagged, the report weight being the one its
    /// stored reader_reports reason carries (<see cref="ReportPolicy.WeightIn"/>).
    /// </summary>
    public static double Requeued(IReadOnlyList<Reason> queuedReasons, string status, double authorRejectionRate) =>
        ModerationPolicy.Priority(queuedReasons, ReportPolicy.WeightIn(queuedReasons), status == CommentStatus.Hidden, authorRejectionRate);
}
