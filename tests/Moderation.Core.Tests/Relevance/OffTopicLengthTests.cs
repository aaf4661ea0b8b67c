using Moderation.Core.Relevance;
using Moderation.Core.Relevance.Training;

namespace Moderation.Core.Tests.Relevance;

public class OffTopicLengthTests
{
    private static readonly RelevanceOptions O = new();

    [Fact]
    public void On_topic_comments_score_zero_whatever_their_length()
    {
        Assert.Equal(0, OffTopicLengthRule.Score(1.0, 2_000, 400, 40, O));
        Assert.Null(OffTopicLengthRule.Reason(0.9, 0, 2_000, O));
    }

    [Fact]
    public void Longer_than_the_article_and_off_topic_is_the_maximum()
    {
        Assert.Equal(1.0, OffTopicLengthRule.Score(0.0, 500, 400, 40, O), 6);
        Assert.Equal(RelevanceReasons.OffTopicLength, OffTopicLengthRule.Reason(0.0, 1.0, 500, O));
    }

    [Fact]
    public void Short_off_topic_quip_is_milder_and_reason_is_off_topic()
    {
        double quip = OffTopicLengthRule.Score(0.05, 12, 400, 40, O);
        Assert.True(quip < 0.1);
        Assert.Equal(RelevanceReasons.OffTopic, OffTopicLengthRule.Reason(0.05, quip, 12, O));
    }

    [Fact]
    public void Length_grows_with_thread_multiple_and_article_share()
    {
        double a = OffTopicLengthRule.LengthFactor(80, 1_000, 40, O);
        double b = OffTopicLengthRule.LengthFactor(120, 1_000, 40, O);
        double c = OffTopicLengthRule.LengthFactor(160, 1_000, 40, O);
        Assert.True(a < b && b < c);
        Assert.Equal(1.0, c, 6);                                            // 4x the thread median
        Assert.Equal(0, OffTopicLengthRule.LengthFactor(0, 100, 40, O));
        Assert.True(OffTopicLengthRule.LengthFactor(40, 10_000, 40, O) < 0.01); // a typical-length comment
    }

    [Fact]
    public void Long_but_below_the_threshold_stays_off_topic()
    {
        var o = new RelevanceOptions { OffTopicLengthThreshold = 0.9 };
        Assert.Equal(RelevanceReasons.OffTopic, OffTopicLengthRule.Reason(0.3, 0.5, 200, o));
    }

    [Fact]
    public void Thread_median_handles_even_and_odd_counts()
    {
        Assert.Equal(30, new ThreadContext(null, [], [10, 30, 50]).MedianWordCount());
        Assert.Equal(25, new ThreadContext(null, [], [10, 20, 30, 90]).MedianWordCount());
        Assert.Null(ThreadContext.Empty.MedianWordCount());
    }

    [Fact]
    public void Auc_counts_ties_half()
    {
        Assert.Equal(1.0, RelevanceMetrics.ComputeAuc([(0.1, false), (0.9, true)]));
        Assert.Equal(0.5, RelevanceMetrics.ComputeAuc([(0.5, false), (0.5, true)]));
        Assert.Equal(0.0, RelevanceMetrics.ComputeAuc([(0.9, false), (0.1, true)]));
    }
}
