namespace Moderation.Core.Relevance;

/// <summary>
/// offTopicLength = lengthFactor × (1 − relevance), where lengthFactor in [0, 1] says how long the
/// comment is for this thread and this article:
/// <list type="bullet">
/// <item>thread part: 0 at the thread's median length, 1 at <see cref="RelevanceOptions.ThreadMultipleForFullLength"/> × median;</item>
/// <item>article part: comment words / article words, 1 once the comment is as long as the article;</item>
/// <item>lengthFactor = max(thread part, article part) × min(1, words / <see cref="RelevanceOptions.LongCommentMinWords"/>),
/// so a short quip never scores high however short the thread is.</item>
/// </list>
/// </summary>
public static class OffTopicLengthRule
{
    public static double LengthFactor(int words, int articleWords, int threadMedian, RelevanceOptions o)
    {
        if (words <= 0) return 0;
        double median = Math.Max(1, threadMedian);
        double multiple = Math.Max(1.0001, o.ThreadMultipleForFullLength);
        double threadPart = Math.Clamp((words / median - 1) / (multiple - 1), 0, 1);
        double articlePart = Math.Clamp(words / (Math.Max(1, articleWords) * Math.Max(0.01, o.ArticleShareForFullLength)), 0, 1);
        double shortDamp = Math.Min(1.0, words / (double)Math.Max(1, o.LongCommentMinWords));
        return Math.Max(threadPart, articlePart) * shortDamp;
    }

    public static double Score(double relevance, int words, int articleWords, int threadMedian, RelevanceOptions o) =>
        Math.Clamp(LengthFactor(words, articleWords, threadMedian, o) * (1 - Math.Clamp(relevance, 0, 1)), 0, 1);

    /// <summary>off_topic_length for a long off-topic comment, off_topic for a shorter one, else null.</summary>
    public static string? Reason(double relevance, double offTopicLength, int words, RelevanceOptions o)
    {
        if (relevance >= o.OffTopicThreshold) return null;
        return offTopicLength >= o.OffTopicLengthThreshold && words >= o.LongCommentMinWords
            ? RelevanceReasons.OffTopicLength
            : RelevanceReasons.OffTopic;
    }
}
