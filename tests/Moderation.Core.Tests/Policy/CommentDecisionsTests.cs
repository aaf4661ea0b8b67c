using Moderation.Core.Policy;
using Moderation.Core.Scoring;

namespace Moderation.Core.Tests.Policy;

/// <summary>Every branch of the decisions the store applies (CommentDecisions), without a database.</summary>
public sealed class CommentDecisionsTests
{
    readonly ReportPolicy reports = new(hideAfter: 3);
    static readonly Reason Rant = new(ReasonCodes.OffTopicLength, 0.9);

    static ReportTally Tally(int count, double weight) => new(count, weight, new Dictionary<string, int> { ["spam"] = count });

    static Verdict Text(string status, params Reason[] reasons) => new(status, reasons, 0);

    [Fact]
    public void Scored_without_reports_keeps_the_text_verdict_and_weighs_the_author_in_the_priority()
    {
        var clean = CommentDecisions.Scored(Text(CommentStatus.Published), ReportTally.None, reports, 0.5);
        Assert.Equal(CommentStatus.Published, clean.Status);
        Assert.False(clean.Queued);
        Assert.Empty(clean.Reasons);
        Assert.Equal(0, clean.Priority);

        var flagged = CommentDecisions.Scored(Text(CommentStatus.Pending, Rant), ReportTally.None, reports, 0.5);
        Assert.Equal(CommentStatus.Pending, flagged.Status);
        Assert.Equal([ReasonCodes.OffTopicLength], flagged.Reasons.Select(r => r.Code));
        Assert.Equal(0.73, flagged.Priority, 6);   // 0.7 × 0.9 + 0.2 × 0.5
    }

    [Fact]
    public void Scored_with_reports_under_the_threshold_queues_a_clean_comment_and_keeps_a_flagged_one()
    {
        var clean = CommentDecisions.Scored(Text(CommentStatus.Published), Tally(1, 1), reports, 0);
        Assert.Equal(CommentStatus.Pending, clean.Status);
        Assert.Equal([ReasonCodes.ReaderReports], clean.Reasons.Select(r => r.Code));
        Assert.Equal(ModerationPolicy.Priority(clean.Reasons, 1, hidden: false, 0), clean.Priority);

        var hidden = CommentDecisions.Scored(Text(CommentStatus.Hidden, new Reason(ReasonCodes.Profanity, 0.95)), Tally(1, 1), reports, 0);
        Assert.Equal(CommentStatus.Hidden, hidden.Status);
        Assert.Equal([ReasonCodes.Profanity, ReasonCodes.ReaderReports], hidden.Reasons.Select(r => r.Code));
        Assert.Equal(1.25, hidden.Priority, 6);   // 1.0 × 0.95 + 0.05 × 1 + 0.25
    }

    [Fact]
    public void Scored_with_reports_at_the_threshold_hides_whatever_the_text_scored()
    {
        var verdict = CommentDecisions.Scored(Text(CommentStatus.Published), Tally(3, 3), reports, 0);
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
        Assert.Equal(1.0, verdict.Reasons.Single().Score);
        Assert.Equal(1.3, verdict.Priority, 6);   // 0.9 × 1 + 0.05 × 3 + 0.25
    }

    [Fact]
    public void Scored_replaces_an_earlier_reader_reports_reason()
    {
        var stale = new Reason(ReasonCodes.ReaderReports, 0.1);
        var verdict = CommentDecisions.Scored(Text(CommentStatus.Pending, Rant, stale), Tally(2, 2), reports, 0);
        Assert.Single(verdict.Reasons, r => r.Code == ReasonCodes.ReaderReports);
        Assert.Equal(0.6667, verdict.Reasons.Single(r => r.Code == ReasonCodes.ReaderReports).Score);
    }

    [Theory]
    [InlineData(CommentStatus.Received)]
    [InlineData(CommentStatus.Approved)]
    [InlineData(CommentStatus.Rejected)]
    [InlineData(CommentStatus.RemovedAtSource)]
    public void Reports_change_nothing_on_a_comment_not_scored_yet_or_decided(string status)
    {
        Assert.False(CommentDecisions.ReportsActOn(status));
        Assert.Null(CommentDecisions.Reported(status, Tally(5, 5), [], reports, 0));
    }

    [Fact]
    public void A_report_under_the_threshold_queues_a_shown_comment_and_keeps_it_shown()
    {
        Assert.True(CommentDecisions.ReportsActOn(CommentStatus.Published));
        var verdict = CommentDecisions.Reported(CommentStatus.Published, Tally(1, 1), [], reports, 0.5)!;
        Assert.Equal(CommentStatus.Pending, verdict.Status);
        Assert.Equal([ReasonCodes.ReaderReports], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(ModerationPolicy.Priority(verdict.Reasons, 1, hidden: false, 0.5), verdict.Priority);
    }

    [Theory]
    [InlineData(CommentStatus.Published)]
    [InlineData(CommentStatus.Pending)]
    public void Reports_reaching_the_threshold_hide(string status)
    {
        var verdict = CommentDecisions.Reported(status, Tally(3, 3), [Rant], reports, 0)!;
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
        Assert.Equal([ReasonCodes.OffTopicLength, ReasonCodes.ReaderReports], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(1.3, verdict.Priority, 6);   // 0.9 × 1 + 0.05 × 3 + 0.25
    }

    [Fact]
    public void A_report_never_unhides_and_replaces_the_queued_reader_reports_reason()
    {
        var queued = new[] { new Reason(ReasonCodes.Profanity, 0.95), new Reason(ReasonCodes.ReaderReports, 0.3333) };
        var verdict = CommentDecisions.Reported(CommentStatus.Hidden, Tally(2, 2), queued, reports, 0)!;
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
        Assert.Equal(0.6667, verdict.Reasons.Single(r => r.Code == ReasonCodes.ReaderReports).Score);
        Assert.Equal(1.3, verdict.Priority, 6);   // 1.0 × 0.95 + 0.05 × 2 + 0.25
    }

    [Fact]
    public void Scoring_failures_retry_until_the_last_attempt_then_hide_and_queue()
    {
        Assert.Null(CommentDecisions.ScoringFailed(2, 3, "boom", null));
        var verdict = CommentDecisions.ScoringFailed(3, 3, "boom", null)!;
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
        Assert.Equal([ReasonCodes.ScoringFailed], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(0.85, verdict.Priority, 6);   // 0.6 × 1 + 0.25

        var edited = CommentDecisions.ScoringFailed(3, 3, "boom", CommentStatus.Approved)!;
        Assert.Equal([ReasonCodes.EditedAfterDecision, ReasonCodes.ScoringFailed], edited.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Requeued_priority_reads_the_report_weight_from_the_stored_reason_and_weighs_the_new_author_rate()
    {
        var stored = reports.Merge([Rant], Tally(2, 2));
        Assert.Equal(0.73, CommentDecisions.Requeued(stored, CommentStatus.Pending, 0), 6);       // 0.7 × 0.9 + 0.05 × 2 (reader_reports 0.9 × 0.6667 is lower)
        Assert.Equal(1.18, CommentDecisions.Requeued(stored, CommentStatus.Hidden, 1), 6);        // + 0.25 + 0.2 × 1
    }
}

/// <summary>How reports are weighed into a tally (ReportPolicy.Tally), without a database.</summary>
public sealed class ReportTallyWeighingTests
{
    readonly ReportPolicy reports = new(hideAfter: 3, maxWeightPerAddress: 2);

    static ReportRow Row(string reporter, string address, string reason = "spam", long upheld = 0, long dismissed = 0) =>
        new() { ReporterKey = reporter, AddressKey = address, Reason = reason, Upheld = upheld, Dismissed = dismissed };

    [Fact]
    public void No_reports_is_the_empty_tally()
    {
        Assert.Same(ReportTally.None, reports.Tally([]));
    }

    [Fact]
    public void Each_report_weighs_its_reporters_record_and_anonymous_ones_weigh_half()
    {
        var tally = reports.Tally([
            Row("id:new", "a1"),                                     // 1
            Row("id:trusted", "a2", "abusive", upheld: 2),           // 2 × 3 / 4 = 1.5
            Row("ip:abc", "a3", dismissed: 5),                       // anonymous: 0.5 whatever its record
        ]);
        Assert.Equal(3, tally.Count);
        Assert.Equal(3.0, tally.Weight, 6);
        Assert.True(reports.Hides(tally));
        Assert.Equal(new Dictionary<string, int> { ["abusive"] = 1, ["spam"] = 2 }, tally.ByReason);
    }

    [Fact]
    public void Reports_from_one_address_weigh_together_at_most_the_cap()
    {
        var tally = reports.Tally([Row("id:a", "office"), Row("id:b", "office"), Row("id:c", "office"), Row("id:d", "home")]);
        Assert.Equal(4, tally.Count);
        Assert.Equal(3.0, tally.Weight, 6);   // min(2, 3) + 1
    }
}

public sealed class ModeratorDecisionTests
{
    [Fact]
    public void Approve_and_reject_set_the_decided_statuses_and_nothing_else_is_an_action()
    {
        Assert.Equal(CommentStatus.Approved, CommentDecisions.ByModerator("approve"));
        Assert.Equal(CommentStatus.Rejected, CommentDecisions.ByModerator("reject"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommentDecisions.ByModerator("delete"));
    }
}
