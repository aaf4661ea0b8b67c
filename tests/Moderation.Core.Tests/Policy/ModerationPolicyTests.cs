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
        Assert.Equal(2.0 / 3, merged.Single(r => r.Code == ReasonCodes.ReaderReports).Score, 6);
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
}
