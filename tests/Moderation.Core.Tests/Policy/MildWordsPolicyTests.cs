using Moderation.Core.Policy;
using Moderation.Core.Scoring;

namespace Moderation.Core.Tests.Policy;

/// <summary>A site chooses whether mild words ("hell", "bloody") flag (issue 16): the policy reads each hit's severity.</summary>
public sealed class MildWordsPolicyTests
{
    static Reason Profanity(double score, params string[] severities) =>
        new(ReasonCodes.Profanity, score, severities.Select((s, i) => new Span(i, i + 4, "word", "term", s)).ToArray());

    static ModerationPolicy Policy(string minSeverity) =>
        new(new ModerationSettings { ProfanityMinSeverity = minSeverity }.ToPolicy());

    [Fact]
    public void By_default_a_mild_word_flags_like_any_other()
    {
        Assert.Equal(CommentStatus.Pending, new ModerationPolicy(PolicyOptions.Default()).Decide([Profanity(0.75, "mild")]).Status);
    }

    [Fact]
    public void With_strong_as_the_minimum_mild_words_alone_do_not_flag_but_a_strong_one_beside_them_does()
    {
        var policy = Policy("strong");
        Assert.Equal(CommentStatus.Published, policy.Decide([Profanity(0.8, "mild", "mild")]).Status);
        Assert.Equal(CommentStatus.Pending, policy.Decide([Profanity(0.8, "mild", "strong")]).Status);
        Assert.Equal(CommentStatus.Hidden, policy.Decide([Profanity(0.97, "slur")]).Status);
    }

    [Fact]
    public void A_disguise_only_the_classifier_saw_and_an_unknown_severity_are_never_silenced()
    {
        var policy = Policy("slur");
        Assert.Equal(CommentStatus.Pending, policy.Decide([Profanity(0.6)]).Status);               // no matched words
        Assert.Equal(CommentStatus.Pending, policy.Decide([Profanity(0.8, "unheard-of")]).Status);
        Assert.Equal(CommentStatus.Published, policy.Decide([Profanity(0.95, "strong")]).Status);   // only slurs flag now
    }
}
