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
        var profane = ModerationPolicy.Priority([new Reason(ReasonCodes.Profanity, 0.95)], 0, hidden: true);
        var rant = ModerationPolicy.Priority([new Reason(ReasonCodes.OffTopicLength, 0.9)], 0, hidden: false);
        var reportedRant = ModerationPolicy.Priority([new Reason(ReasonCodes.OffTopicLength, 0.9)], 2, hidden: false);
        Assert.True(profane > rant);
        Assert.Equal(rant + 0.1, reportedRant, 6);
    }

    [Fact]
    public void Reports_reach_full_weight_at_the_hide_threshold()
    {
        var reports = new ReportPolicy(3);
        Assert.False(reports.Hides(2));
        Assert.True(reports.Hides(3));
        Assert.Equal(1.0, reports.Reason(5, new Dictionary<string, int>()).Score);
        var merged = reports.Merge([new Reason(ReasonCodes.ReaderReports, 0.3), new Reason(ReasonCodes.Profanity, 0.7)], 2, new Dictionary<string, int>());
        Assert.Equal(2, merged.Count);
        Assert.Equal(2.0 / 3, merged.Single(r => r.Code == ReasonCodes.ReaderReports).Score, 6);
    }
}
