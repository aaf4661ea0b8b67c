using Moderation.Core.Policy;
using Moderation.Core.Scoring;

namespace Moderation.Core.Tests.Policy;

public sealed class ModerationPolicyTests
{
    readonly ModerationPolicy policy = new(PolicyOptions.Default());

    [Fact]
    public void Nothing_over_a_flag_threshold_is_published_with_no_reasons()
    {
        var verdict = policy.Decide([new Reason(ReasonCodes.Profanity, 0.2), new Reason(ReasonCodes.OffTopic, 0.5)]);
        Assert.Equal(CommentStatus.Published, verdict.Status);
        Assert.Empty(verdict.Reasons);
    }

    [Fact]
    public void Likely_profanity_is_flagged_and_near_certain_profanity_is_hidden()
    {
        Assert.Equal(CommentStatus.Pending, policy.Decide([new Reason(ReasonCodes.Profanity, 0.6)]).Status);
        Assert.Equal(CommentStatus.Hidden, policy.Decide([new Reason(ReasonCodes.Profanity, 0.95)]).Status);
    }

    [Fact]
    public void Off_topic_comments_are_flagged_but_never_hidden()
    {
        var verdict = policy.Decide([new Reason(ReasonCodes.OffTopicLength, 1.0)]);
        Assert.Equal(CommentStatus.Pending, verdict.Status);
    }

    [Fact]
    public void Priority_puts_hidden_profanity_above_a_long_off_topic_rant_and_reports_add_to_it()
    {
        var profane = ModerationPolicy.Priority([new Reason(ReasonCodes.Profanity, 0.95)], 0, hidden: true, 0);
        var rant = ModerationPolicy.Priority([new Reason(ReasonCodes.OffTopicLength, 0.9)], 0, hidden: false, 0);
        var reportedRant = ModerationPolicy.Priority([new Reason(ReasonCodes.OffTopicLength, 0.9)], 2, hidden: false, 0);
        var byRepeatOffender = ModerationPolicy.Priority([new Reason(ReasonCodes.OffTopicLength, 0.9)], 0, hidden: false, 0.5);
        Assert.Equal(1.2, profane, 6);                  // 1.0 × 0.95 + 0.25, rounded to 0.01
        Assert.Equal(0.63, rant, 6);                    // 0.7 × 0.9
        Assert.Equal(0.73, reportedRant, 6);            // + 0.05 × 2
        Assert.Equal(0.73, byRepeatOffender, 6);        // + 0.2 × 0.5
    }

    [Fact]
    public void Reports_reach_full_weight_at_the_hide_threshold()
    {
        var reports = new ReportPolicy(3);
        var none = new Dictionary<string, int>();
        Assert.False(reports.Hides(new ReportTally(2, 2.0, none)));
        Assert.True(reports.Hides(new ReportTally(2, 3.0, none)));
        Assert.Equal(1.0, reports.Reason(new ReportTally(5, 5.0, none)).Score);
        var merged = reports.Merge([new Reason(ReasonCodes.ReaderReports, 0.3), new Reason(ReasonCodes.Profanity, 0.7)], new ReportTally(2, 2.0, none));
        Assert.Equal(2, merged.Count);
        // Four decimals like every other score (issue 19: it printed as 0.6666666666666666), and 1 only where it hides.
        Assert.Equal(0.6667, merged.Single(r => r.Code == ReasonCodes.ReaderReports).Score);
        Assert.Equal(0.9999, reports.Reason(new ReportTally(4, 2.99999, none)).Score);
    }

    [Theory]
    [InlineData(true, 0, 0, 0.5)]      // anonymous: least
    [InlineData(false, 0, 0, 1.0)]     // a new reporter
    [InlineData(false, 2, 0, 1.5)]     // 2 × 3/4: two reports upheld before
    [InlineData(false, 0, 2, 0.5)]     // 2 × 1/4: two reports dismissed before
    [InlineData(false, 8, 0, 1.8)]     // 2 × 9/10
    public void A_reporters_weight_follows_their_record(bool anonymous, int upheld, int dismissed, double expected)
    {
        Assert.Equal(expected, ReporterTrust.Weight(anonymous, upheld, dismissed), 4);
    }

    [Fact]
    public void An_edit_of_a_rejected_comment_is_hidden_and_queued_even_when_the_new_text_scores_clean()
    {
        var verdict = policy.Decide([new Reason(ReasonCodes.Profanity, 0.1)], CommentStatus.Rejected);
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
        Assert.Equal([ReasonCodes.EditedAfterDecision], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(1.15, verdict.Priority, 6);     // 0.9 × 1.0 + 0.25 hidden
    }

    [Fact]
    public void An_edit_of_an_approved_comment_is_judged_again_and_queued_with_edited_after_decision_only_when_flagged()
    {
        var clean = policy.Decide([new Reason(ReasonCodes.Profanity, 0.1)], CommentStatus.Approved);
        Assert.Equal(CommentStatus.Published, clean.Status);
        Assert.Empty(clean.Reasons);

        var flagged = policy.Decide([new Reason(ReasonCodes.Profanity, 0.6)], CommentStatus.Approved);
        Assert.Equal(CommentStatus.Pending, flagged.Status);
        Assert.Equal([ReasonCodes.EditedAfterDecision, ReasonCodes.Profanity], flagged.Reasons.Select(r => r.Code));

        var hidden = policy.Decide([new Reason(ReasonCodes.Profanity, 0.95)], CommentStatus.Approved);
        Assert.Equal(CommentStatus.Hidden, hidden.Status);
    }

    [Fact]
    public void An_admin_may_hide_every_flagged_edit_of_an_approved_comment()
    {
        var strict = PolicyOptions.Default();
        strict.Reasons[ReasonCodes.EditedAfterDecision] = new ReasonThreshold { FlagAt = 0, HideAt = 1.0 };
        var verdict = new ModerationPolicy(strict).Decide([new Reason(ReasonCodes.Profanity, 0.6)], CommentStatus.Approved);
        Assert.Equal(CommentStatus.Hidden, verdict.Status);
    }

    [Fact]
    public void A_comment_never_decided_is_judged_as_before()
    {
        Reason[] reasons = [new Reason(ReasonCodes.Profanity, 0.6)];
        Assert.Equal(policy.Decide(reasons).Status, policy.Decide(reasons, null).Status);
        Assert.DoesNotContain(ReasonCodes.EditedAfterDecision, policy.Decide(reasons, CommentStatus.Pending).Reasons.Select(r => r.Code));
    }
}
