using Moderation.Core.Profanity;

namespace Moderation.Core.Scoring;

/// <summary>
/// The scoring pipeline: profanity from the lexicon and classifier, relevance and off-topic length
/// against the article. Candidate reasons carry their evidence; the policy decides which count.
/// </summary>
public sealed class CommentScorer(ProfanityScorer profanity, InterimScorer relevance) : ICommentScorer
{
    public int ProfileVersion => relevance.ProfileVersion;

    public byte[] BuildArticleProfile(string title, string body) => relevance.BuildArticleProfile(title, body);

    public IReadOnlySet<string> ArticleTerms(string title, string body) => relevance.ArticleTerms(title, body);

    public ScoreResult Score(string text, ArticleToScore article, ThreadToScore thread, ITermStatistics terms)
    {
        var p = profanity.Score(text);
        var r = relevance.Score(text, article, thread, terms);
        var reasons = new List<Reason>();
        if (p.Score > 0)
            reasons.Add(new Reason(ReasonCodes.Profanity, Math.Round(p.Score, 4), p.Matches.Select(ToSpan).ToList()));
        reasons.AddRange(r.Reasons.Where(x => x.Code != ReasonCodes.Profanity));
        return new ScoreResult(r.Scores with { Profanity = Math.Round(p.Score, 4) }, reasons, r.Embedding);
    }

    static Span ToSpan(ProfanityMatch m) => new(m.Start, m.End, m.Text, m.Term, m.Severity.ToString().ToLowerInvariant());
}
